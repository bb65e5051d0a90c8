package dev.tollgate.server;

import dev.tollgate.core.budget.Budget;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.CostBound;
import dev.tollgate.core.budget.SpendSource;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.core.usage.TokenEstimator;
import dev.tollgate.server.admin.AdminHandler;
import dev.tollgate.server.admin.AdminServerInitializer;
import dev.tollgate.server.budget.BudgetEnforcers;
import dev.tollgate.core.exchange.ExchangeListener;
import dev.tollgate.core.ledger.LedgerSink;
import dev.tollgate.core.ledger.LedgerWriter;
import dev.tollgate.server.admin.AdminApi;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.config.LedgerConfig;
import dev.tollgate.server.reload.ConfigReloader;
import dev.tollgate.server.reload.LiveConfig;
import dev.tollgate.server.config.ProxyConfig;
import dev.tollgate.server.ledger.LedgerMeters;
import dev.tollgate.server.ledger.LedgerSpendSource;
import dev.tollgate.server.ledger.Ledgers;
import dev.tollgate.server.config.ServerConfig;
import dev.tollgate.server.exchange.ExchangeCompleter;
import dev.tollgate.server.handler.ProxyContext;
import dev.tollgate.server.metrics.BudgetMetrics;
import dev.tollgate.server.metrics.ProxyMetrics;
import dev.tollgate.server.pipeline.ProxyServerInitializer;
import dev.tollgate.server.pipeline.UpstreamInitializer;
import dev.tollgate.server.pricing.PriceTables;
import dev.tollgate.server.route.Route;
import dev.tollgate.server.route.RouteTable;
import dev.tollgate.server.tenant.TenantResolver;
import dev.tollgate.server.upstream.UpstreamPools;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tollgate: wires the config into routes, tenants, prices, metrics and the listeners,
 * with constructor injection and no static state, so a test can start as many as it likes.
 *
 * <pre>{@code
 * try (Tollgate tollgate = Tollgate.start(config)) {
 *     URI base = URI.create("http://127.0.0.1:" + tollgate.proxyPort() + "/openai/v1");
 * }
 * }</pre>
 */
public final class Tollgate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Tollgate.class);

    private final ProxyServer server;
    private final ProxyMetrics metrics;
    private final long shutdownGraceMillis;
    private final PrometheusMeterRegistry registry;
    private final List<ExecutorService> executors;
    private final DnsAddressResolverGroup resolver;
    private final LedgerWriter ledger;

    private Tollgate(ProxyServer server, ProxyMetrics metrics, long shutdownGraceMillis, PrometheusMeterRegistry registry,
            List<ExecutorService> executors, DnsAddressResolverGroup resolver, LedgerWriter ledger) {
        this.server = server;
        this.metrics = metrics;
        this.shutdownGraceMillis = shutdownGraceMillis;
        this.registry = registry;
        this.executors = executors;
        this.resolver = resolver;
        this.ledger = ledger;
    }

    /** Serves {@code config} until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public static void runUntilShutdown(ProxyConfig config) throws Exception {
        Tollgate tollgate = start(config);
        Thread shutdown = new Thread(() -> {
            log.info("Shutting down");
            tollgate.close();
        }, "tollgate-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        log.info("Tollgate proxy listening on {}, admin on {} ({} routes)", tollgate.server.proxyAddress(),
                tollgate.server.adminAddress(), config.routes().size());
        tollgate.awaitClose();
    }

    public static Tollgate start(ProxyConfig config) throws InterruptedException, IOException {
        return start(config, Clock.systemUTC(), Transport.best());
    }

    public static Tollgate start(ProxyConfig config, Clock clock, Transport transport) throws InterruptedException, IOException {
        SpendSource pastSpend = LedgerConfig.NONE.equals(config.ledger().sink())
                ? periods -> Map.of()
                : new LedgerSpendSource(Path.of(config.ledger().path()), warning -> log.warn("ledger: {}", warning));
        return start(config, clock, transport, pastSpend);
    }

    /**
     * Starts Tollgate with budget spend rebuilt from {@code pastSpend} (the ledger) before the
     * listeners open, so a restart does not reset what tenants have spent.
     */
    public static Tollgate start(ProxyConfig config, Clock clock, Transport transport, SpendSource pastSpend)
            throws InterruptedException, IOException {
        ServerConfig serverConfig = config.server();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindJvmMetrics(registry);

        List<Route> routes = config.routes().stream().map(Route::of).toList();
        RouteTable routeTable = new RouteTable(routes);
        ProxyMetrics metrics = new ProxyMetrics(registry, config.tenants().attributionTags(),
                config.metrics().maxModelsPerProvider(), routes);
        BudgetEnforcer budgets = seededBudgets(config, pastSpend, clock);
        metrics.expectRejections(budgets.budgets().stream().filter(Budget::rejects).map(Budget::tenant).distinct().toList());
        LiveConfig live = new LiveConfig(new LiveConfig.Snapshot(config, new TenantResolver(config.tenants()),
                PriceTables.from(config.pricing()), budgets));
        BudgetMetrics budgetMetrics = new BudgetMetrics(live.budgets(), clock, registry);

        // From here on, threads and files are opened: a failure closes them again.
        LedgerWriter ledger = openLedger(config.ledger(), clock, registry);
        ExecutorService estimatorExecutor = newEstimatorExecutor();
        ExecutorService adminExecutor = Executors.newSingleThreadExecutor(new DefaultThreadFactory("tollgate-admin", true));
        int workerThreads = serverConfig.ioThreadsOrCores();
        EventLoopGroup acceptors = transport.newGroup(1, new DefaultThreadFactory("tollgate-accept"));
        EventLoopGroup workers = transport.newGroup(workerThreads, new DefaultThreadFactory("tollgate-io"),
                serverConfig.busyPollMicros());
        DnsAddressResolverGroup resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel()));
        WriteBufferWaterMark waterMark = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
        ProxyServer server = new ProxyServer(transport, acceptors, workers, waterMark);
        Tollgate tollgate = new Tollgate(server, metrics, serverConfig.shutdownGraceMillis(), registry,
                List.of(estimatorExecutor, adminExecutor), resolver, ledger);
        try {
            ExchangeListener listeners = record -> {
                metrics.onExchange(record);
                ledger.onExchange(record);
            };
            ExchangeCompleter completer = new ExchangeCompleter(live.prices(), new TokenEstimator(), estimatorExecutor,
                    listeners, budgets, System::nanoTime);
            UpstreamPools upstreams = new UpstreamPools(transport,
                    new UpstreamInitializer.Factory(clientSslContext(routes), serverConfig.upstreamIdleTimeoutMillis()),
                    resolver, serverConfig.upstreamConnectTimeoutMillis(), serverConfig.maxConnectionsPerRoute(),
                    workerThreads, waterMark);
            ProxyContext context = new ProxyContext(clock, System::nanoTime, () -> routeTable, live.tenants(), live.prices(),
                    live.budgets(), CostBound.defaults(), live.allowUnpriced(), completer, metrics, upstreams,
                    serverConfig.maxRequestBodyBytes(), serverConfig.clientIdleTimeoutMillis(),
                    serverConfig.clientBodyTimeoutMillis());

            AdminHandler.AdminAccess access = AdminHandler.AdminAccess.of(isLoopback(serverConfig.adminBind()),
                    serverConfig.adminToken());
            ConfigReloader reloader = new ConfigReloader(configFile(config), new ConfigLoader(System::getenv), live, pastSpend,
                    budgetMetrics, clock);
            AdminApi api = new AdminApi(live, reloader, ledgerPath(config.ledger()), clock);
            server.start(serverConfig.bind(), serverConfig.port(), new ProxyServerInitializer(context),
                    serverConfig.adminBind(), serverConfig.adminPort(),
                    new AdminServerInitializer(() -> new AdminHandler(registry, server::isAccepting, access, api, adminExecutor)));
            return tollgate;
        } catch (IOException | InterruptedException | RuntimeException e) {
            tollgate.close();
            throw e;
        }
    }

    /** The configured budgets, with the spend of their current windows restored from {@code pastSpend}. */
    private static BudgetEnforcer seededBudgets(ProxyConfig config, SpendSource pastSpend, Clock clock) {
        BudgetEnforcer budgets = BudgetEnforcers.from(config.tenants());
        int seeded = budgets.seedFrom(pastSpend, clock.instant());
        if (!budgets.budgets().isEmpty()) {
            log.info("{} budgets of {} tenants; spend of {} (tenant, window) pairs restored", budgets.budgets().size(),
                    budgets.budgets().stream().map(Budget::tenant).distinct().count(), seeded);
        }
        return budgets;
    }

    /** Local token counting is slow (a tokenizer): at most half the cores, and a bounded queue. */
    private static ExecutorService newEstimatorExecutor() {
        return new ThreadPoolExecutor(1, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), new DefaultThreadFactory("tollgate-estimator", true));
    }

    /** Blocks until the proxy listener closes. */
    public void awaitClose() throws InterruptedException {
        server.awaitClose();
    }

    public int proxyPort() {
        return server.proxyAddress().getPort();
    }

    public int adminPort() {
        return server.adminAddress().getPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Stops accepting, lets in-flight requests (long streams included) finish for up to the
     * configured grace period, then closes the rest and finishes pending token counts.
     */
    @Override
    public void close() {
        try {
            server.stopAccepting();
            awaitInflight();
            server.close();
            for (ExecutorService executor : executors) {
                executor.shutdown();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ledger.close(); // flushes every record to the sink, or to the spill for the next start
            resolver.close();
            registry.close();
        }
    }

    /** The config file a reload re-reads, or null for the embedded default. */
    private static @Nullable Path configFile(ProxyConfig config) {
        return ProxyConfig.EMBEDDED_DEFAULT.equals(config.source()) ? null : Path.of(config.source());
    }

    /** The ledger file the admin API reads, or null when the ledger is off. */
    private static @Nullable Path ledgerPath(LedgerConfig config) {
        return LedgerConfig.NONE.equals(config.sink()) ? null : Path.of(config.path());
    }

    /** The ledger writer, started; a sink that cannot be opened fails start-up, naming the file. */
    private static LedgerWriter openLedger(LedgerConfig config, Clock clock, PrometheusMeterRegistry registry) throws IOException {
        Path path = Path.of(config.path());
        LedgerSink sink = Ledgers.openSink(config.sink(), path, clock);
        return LedgerWriter.builder(sink, LedgerWriter.spillDirectoryFor(path))
                .stats(LedgerMeters.register(registry, sink.name()))
                .retentionDays(config.retentionDays())
                .clock(clock)
                .build()
                .start();
    }

    private void awaitInflight() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shutdownGraceMillis);
        long inflight;
        while ((inflight = metrics.inflightRequests()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // the shutdown thread, never an event loop
        }
        if (inflight > 0) {
            log.warn("{} requests still in flight after {} ms; closing them", inflight, shutdownGraceMillis);
        }
    }

    private static SslContext clientSslContext(List<Route> routes) throws SSLException {
        return routes.stream().anyMatch(Route::tls) ? SslContextBuilder.forClient().build() : null;
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
    }
}
