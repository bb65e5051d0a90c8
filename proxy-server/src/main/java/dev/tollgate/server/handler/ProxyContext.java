package dev.tollgate.server.handler;

import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.CostBound;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.server.exchange.ExchangeCompleter;
import dev.tollgate.server.metrics.ProxyMetrics;
import dev.tollgate.server.route.RouteTable;
import dev.tollgate.server.tenant.TenantResolver;
import dev.tollgate.server.upstream.UpstreamPools;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the request handlers share: long-lived, thread-safe services. Suppliers are read once per
 * request, so a config reload takes effect for the next request without touching those in flight.
 *
 * @param nanoTime            monotonic time, injected so tests can control it
 * @param prices              prices the cost bound a request is admitted with (the completer prices its record)
 * @param budgets             the tenants' budgets, consulted before forwarding
 * @param costBound           how a request's cost bound is computed
 * @param allowUnpriced       {@code pricing.unpriced: allow}: a tenant with a rejecting budget may send
 *                            a model that has no price
 * @param maxRequestBodyBytes bodies above this get 413 before any upstream call
 * @param clientIdleMillis    see {@link ClientTimeoutHandler}
 * @param clientBodyMillis    see {@link ClientTimeoutHandler}
 */
public record ProxyContext(
        Clock clock,
        LongSupplier nanoTime,
        Supplier<RouteTable> routes,
        Supplier<TenantResolver> tenants,
        Supplier<PriceTable> prices,
        Supplier<BudgetEnforcer> budgets,
        CostBound costBound,
        BooleanSupplier allowUnpriced,
        ExchangeCompleter completer,
        ProxyMetrics metrics,
        UpstreamPools upstreams,
        long maxRequestBodyBytes,
        long clientIdleMillis,
        long clientBodyMillis) {}
