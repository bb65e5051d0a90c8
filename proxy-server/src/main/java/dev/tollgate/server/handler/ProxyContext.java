package dev.tollgate.server.handler;

import dev.tollgate.server.exchange.ExchangeCompleter;
import dev.tollgate.server.metrics.ProxyMetrics;
import dev.tollgate.server.route.RouteTable;
import dev.tollgate.server.tenant.TenantResolver;
import dev.tollgate.server.upstream.UpstreamPools;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the request handlers share: long-lived, thread-safe services. Suppliers are read once per
 * request, so a config reload takes effect for the next request without touching those in flight.
 *
 * @param nanoTime            monotonic time, injected so tests can control it
 * @param maxRequestBodyBytes bodies above this get 413 before any upstream call
 * @param clientIdleMillis    see {@link ClientTimeoutHandler}
 * @param clientBodyMillis    see {@link ClientTimeoutHandler}
 */
public record ProxyContext(
        Clock clock,
        LongSupplier nanoTime,
        Supplier<RouteTable> routes,
        Supplier<TenantResolver> tenants,
        ExchangeCompleter completer,
        ProxyMetrics metrics,
        UpstreamPools upstreams,
        long maxRequestBodyBytes,
        long clientIdleMillis,
        long clientBodyMillis) {}
