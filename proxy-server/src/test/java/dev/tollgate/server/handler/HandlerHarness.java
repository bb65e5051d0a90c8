package dev.tollgate.server.handler;

import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.CostBound;
import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.TokenEstimator;
import dev.tollgate.server.config.IdentifyBy;
import dev.tollgate.server.config.PricingConfig;
import dev.tollgate.server.config.RouteConfig;
import dev.tollgate.server.config.TenantConfig;
import dev.tollgate.server.config.TenantsConfig;
import dev.tollgate.server.config.UnknownTenantPolicy;
import dev.tollgate.server.exchange.ExchangeCompleter;
import dev.tollgate.server.metrics.ProxyMetrics;
import dev.tollgate.server.pricing.PriceTables;
import dev.tollgate.server.route.Route;
import dev.tollgate.server.route.RouteTable;
import dev.tollgate.server.tenant.TenantResolver;
import dev.tollgate.server.testing.TrackingAllocator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The request half of the client pipeline (exchange-start, tenant-auth, request-body) on an
 * {@link EmbeddedChannel}, with a tail that captures the {@link ProxyRequest}s that get through and
 * a listener that captures every completed exchange.
 */
final class HandlerHarness {

    static final String ACME_KEY = "tg-acme-handler-test-key";
    static final Route OPENAI = route("/openai", ProviderKind.OPENAI);
    static final Route ANTHROPIC = route("/anthropic", ProviderKind.ANTHROPIC);
    private static final TokenEstimator ESTIMATOR = new TokenEstimator();

    final List<ExchangeRecord> records = new ArrayList<>();
    final List<ProxyRequest> forwarded = new ArrayList<>();
    final TrackingAllocator alloc = new TrackingAllocator();
    final ProxyContext proxy;

    HandlerHarness(long maxRequestBodyBytes) {
        this(maxRequestBodyBytes, List.of(OPENAI, ANTHROPIC));
    }

    HandlerHarness(long maxRequestBodyBytes, List<Route> routes) {
        RouteTable table = new RouteTable(routes);
        TenantResolver tenants = new TenantResolver(new TenantsConfig(List.of(IdentifyBy.VIRTUAL_KEY, IdentifyBy.HEADER),
                TenantsConfig.DEFAULT_HEADER, UnknownTenantPolicy.REJECT, List.of(), List.of(
                        new TenantConfig(TenantId.of("acme"), List.of(KeyHash.of(ACME_KEY)), List.of()),
                        new TenantConfig(TenantId.of("globex"), List.of(), List.of()))));
        ProxyMetrics metrics = new ProxyMetrics(new SimpleMeterRegistry(), List.of(), 200, routes);
        var prices = PriceTables.from(PricingConfig.defaults());
        ExchangeCompleter completer = new ExchangeCompleter(() -> prices, ESTIMATOR, Runnable::run, record -> {
            metrics.onExchange(record);
            records.add(record);
        }, BudgetEnforcer.none(), System::nanoTime);
        // No upstream is reached from these handlers, so there are no pools.
        proxy = new ProxyContext(Clock.systemUTC(), System::nanoTime, () -> table, () -> tenants, () -> prices,
                BudgetEnforcer::none, CostBound.defaults(), () -> false, completer, metrics, null, maxRequestBodyBytes,
                60_000, 30_000);
    }

    EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel(new ExchangeStartHandler(proxy), new TenantAuthHandler(proxy),
                new RequestBodyHandler(proxy), new Capture());
        channel.config().setAllocator(alloc);
        return channel;
    }

    /** Releases what got through; call before asserting that buffers were released. */
    void releaseForwarded() {
        forwarded.forEach(ProxyRequest::release);
    }

    static Route route(String prefix, ProviderKind provider) {
        return Route.of(new RouteConfig(prefix, provider, URI.create("http://127.0.0.1:9"), "sk-route", null, true));
    }

    private final class Capture extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ProxyRequest request) {
                forwarded.add(request);
            } else {
                throw new AssertionError("only whole requests may reach the relay, got " + msg);
            }
        }
    }
}
