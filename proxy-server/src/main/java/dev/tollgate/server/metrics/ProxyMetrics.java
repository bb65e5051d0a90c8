package dev.tollgate.server.metrics;

import dev.tollgate.core.exchange.ExchangeListener;
import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.TokenType;
import dev.tollgate.core.usage.TokenUsage;
import dev.tollgate.server.route.Route;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exports every finished request to Prometheus (CONTRACT §7). Meters are built once per label set
 * and cached, so recording a request is a map look-up and a few adds: no registry look-up, no tag
 * objects, no lock. Token and cost totals are kept as exact integers ({@link LongAdder}) and turned
 * into a double only when scraped.
 */
public final class ProxyMetrics implements ExchangeListener {

    private static final String NONE = "none";
    private static final Duration[] DURATION_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300);
    private static final Duration[] TTFT_BUCKETS = seconds(0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30);
    private static final Duration[] OVERHEAD_BUCKETS =
            seconds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1);

    private final MeterRegistry registry;
    private final List<String> tagKeys;
    private final int maxModelsPerProvider;
    private final Map<String, BoundedLabel> tagValues = new HashMap<>();
    private final Map<ProviderKind, BoundedLabel> models = new EnumMap<>(ProviderKind.class);
    private final Map<String, RouteMeters> routes = new HashMap<>();

    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<SpendKey, SpendMeters> spend = new ConcurrentHashMap<>();
    private final Map<ModelKey, Counter> unpriced = new ConcurrentHashMap<>();
    private final Map<DurationKey, Timer> durations = new ConcurrentHashMap<>();
    private final Map<ModelKey, Timer> ttft = new ConcurrentHashMap<>();
    private final Map<RejectionKey, Counter> rejected = new ConcurrentHashMap<>();

    /**
     * @param attributionTags configured tag keys, added as labels on requests, tokens and cost
     */
    public ProxyMetrics(MeterRegistry registry, List<String> attributionTags, int maxModelsPerProvider,
            Collection<Route> configuredRoutes) {
        this.registry = registry;
        this.tagKeys = List.copyOf(attributionTags);
        this.maxModelsPerProvider = maxModelsPerProvider;
        for (String key : tagKeys) {
            tagValues.put(key, new BoundedLabel(100, ""));
        }
        for (ProviderKind provider : ProviderKind.values()) {
            models.put(provider, new BoundedLabel(maxModelsPerProvider, "unknown"));
        }
        for (Route route : configuredRoutes) {
            routes.put(route.prefix(), new RouteMeters(registry, route.label()));
        }
    }

    /**
     * Creates the budget-refusal counters of {@code tenants} at zero, so that a tenant's first burst of
     * 429s shows up in {@code rate()} and {@code increase()} (a counter that appears already at 3 has
     * no increase to see), and so does the first refused unknown key.
     */
    public void expectRejections(Collection<TenantId> tenants) {
        for (TenantId tenant : tenants) {
            rejected.computeIfAbsent(new RejectionKey(tenant.value(), "budget"), this::newRejectedCounter);
        }
        rejected.computeIfAbsent(new RejectionKey(TenantId.UNKNOWN.value(), "auth"), this::newRejectedCounter);
    }

    /** A request entered the proxy on {@code route}: counts it in flight until its record arrives. */
    public void exchangeStarted(Route route) {
        routeMeters(route.prefix()).inflight.increment();
    }

    /** Requests in flight on every route now. */
    public long inflightRequests() {
        long total = 0;
        for (RouteMeters meters : routes.values()) {
            total += meters.inflight.sum();
        }
        return total;
    }

    /** A request refused before it matched any route (bad HTTP, unknown path). */
    public void unroutedRequest(int statusCode) {
        List<String> tagValuesNone = new ArrayList<>(tagKeys.size());
        tagKeys.forEach(k -> tagValuesNone.add(""));
        requests.computeIfAbsent(new RequestKey("unknown", NONE, NONE, NONE, statusCode, tagValuesNone), this::newRequestCounter)
                .increment();
        rejected.computeIfAbsent(new RejectionKey("unknown", statusCode == 404 ? "bad_request" : reasonOf(statusCode)),
                this::newRejectedCounter).increment();
    }

    @Override
    public void onExchange(ExchangeRecord record) {
        String tenant = record.tenant().value();
        String provider = record.provider().configName();
        String model = models.get(record.provider()).valueOf(record.modelBilled());
        String route = record.route();
        List<String> tags = tagValuesOf(record.tags());
        RouteMeters routeMeters = routeMeters(route);
        routeMeters.inflight.decrement();

        requests.computeIfAbsent(new RequestKey(tenant, provider, model, route, record.statusCode(), tags), this::newRequestCounter)
                .increment();
        if (record.outcome() == Outcome.REJECTED) {
            rejected.computeIfAbsent(new RejectionKey(tenant, reasonOf(record.statusCode())), this::newRejectedCounter).increment();
        }
        if (record.overheadNanos() >= 0) {
            routeMeters.overhead.record(record.overheadNanos(), TimeUnit.NANOSECONDS);
        }
        if (record.outcome() == Outcome.REJECTED || !record.endpoint().isMetered()) {
            return;
        }
        durations.computeIfAbsent(new DurationKey(provider, model, route), this::newDurationTimer)
                .record(record.durationNanos(), TimeUnit.NANOSECONDS);
        if (record.stream() && record.ttftNanos() >= 0) {
            ttft.computeIfAbsent(new ModelKey(provider, model), this::newTtftTimer).record(record.ttftNanos(), TimeUnit.NANOSECONDS);
        }
        TokenUsage usage = record.usage();
        if (usage.equals(TokenUsage.ZERO)) {
            return;
        }
        SpendMeters meters = spend.computeIfAbsent(new SpendKey(tenant, provider, model, tags), SpendMeters::new);
        meters.add(usage, record.estimated(), record.costNanoUsd());
        if (!record.priced()) {
            unpriced.computeIfAbsent(new ModelKey(provider, model), this::newUnpricedCounter).increment();
        }
    }

    private RouteMeters routeMeters(String prefix) {
        RouteMeters meters = routes.get(prefix);
        if (meters == null) {
            throw new IllegalStateException("route " + prefix + " was not configured when metrics were built");
        }
        return meters;
    }

    private List<String> tagValuesOf(Map<String, String> requestTags) {
        if (tagKeys.isEmpty()) {
            return List.of();
        }
        String[] values = new String[tagKeys.size()];
        for (int i = 0; i < values.length; i++) {
            String key = tagKeys.get(i);
            values[i] = tagValues.get(key).valueOf(requestTags.get(key));
        }
        return List.of(values);
    }

    private Tags withAttributionTags(Tags base, List<String> values) {
        Tags tags = base;
        for (int i = 0; i < tagKeys.size(); i++) {
            tags = tags.and(tagKeys.get(i), values.get(i));
        }
        return tags;
    }

    private static String reasonOf(int statusCode) {
        return switch (statusCode) {
            case 401 -> "auth";
            case 429 -> "budget";
            case 413 -> "too_large";
            default -> "bad_request";
        };
    }

    private Counter newRequestCounter(RequestKey k) {
        Tags tags = Tags.of("tenant", k.tenant, "provider", k.provider, "model", k.model, "route", k.route,
                "code", Integer.toString(k.code));
        return Counter.builder("tollgate.requests")
                .description("Requests through the proxy, by final status code, rejected ones included")
                .tags(withAttributionTags(tags, k.tags))
                .register(registry);
    }

    private Counter newRejectedCounter(RejectionKey k) {
        return Counter.builder("tollgate.requests.rejected")
                .description("Requests the proxy refused itself")
                .tags("tenant", k.tenant, "reason", k.reason)
                .register(registry);
    }

    private Counter newUnpricedCounter(ModelKey k) {
        return Counter.builder("tollgate.unpriced.requests")
                .description("Requests whose model has no known price (cost recorded as 0)")
                .tags("provider", k.provider, "model", k.model)
                .register(registry);
    }

    private Timer newDurationTimer(DurationKey k) {
        return Timer.builder("tollgate.request.duration")
                .description("Request duration, first request byte to last response byte")
                .tags("provider", k.provider, "model", k.model, "route", k.route)
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry);
    }

    private Timer newTtftTimer(ModelKey k) {
        return Timer.builder("tollgate.time.to.first.token")
                .description("Time to the first response byte of a stream")
                .tags("provider", k.provider, "model", k.model)
                .serviceLevelObjectives(TTFT_BUCKETS)
                .register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }

    private record RequestKey(String tenant, String provider, String model, String route, int code, List<String> tags) {}

    private record SpendKey(String tenant, String provider, String model, List<String> tags) {}

    private record ModelKey(String provider, String model) {}

    private record DurationKey(String provider, String model, String route) {}

    private record RejectionKey(String tenant, String reason) {}

    /** Per-route meters, made when the route is configured. */
    private static final class RouteMeters {
        // Written by every event loop twice per request: striped, so the loops do not contend.
        final LongAdder inflight = new LongAdder();
        final Timer overhead;

        RouteMeters(MeterRegistry registry, String route) {
            Gauge.builder("tollgate.inflight.requests", inflight, LongAdder::sum)
                    .description("Requests in flight")
                    .tags("route", route)
                    .register(registry);
            overhead = Timer.builder("tollgate.proxy.overhead")
                    .description("Time spent inside the proxy, upstream wait excluded")
                    .tags("route", route)
                    .serviceLevelObjectives(OVERHEAD_BUCKETS)
                    .register(registry);
        }
    }

    /** Token and cost totals of one (tenant, provider, model, tags), as exact integers. */
    private final class SpendMeters {
        private final SpendKey key;
        private final AtomicReferenceArray<LongAdder> tokens = new AtomicReferenceArray<>(TokenType.values().length * 2);
        private final LongAdder costNanoUsd = new LongAdder();

        SpendMeters(SpendKey key) {
            this.key = key;
            Tags base = withAttributionTags(Tags.of("tenant", key.tenant, "provider", key.provider, "model", key.model), key.tags);
            FunctionCounter.builder("tollgate.cost.usd", costNanoUsd, adder -> adder.sum() / 1e9)
                    .description("Cost in USD, from exact nano-USD totals")
                    .tags(base)
                    .register(registry);
        }

        void add(TokenUsage usage, boolean estimated, long costNanos) {
            for (TokenType type : TokenType.values()) {
                long count = usage.get(type);
                if (count > 0) {
                    tokenAdder(type, estimated).add(count);
                }
            }
            costNanoUsd.add(costNanos);
        }

        /** Registers a token series on its first use, so unused types and sources add no series. */
        private LongAdder tokenAdder(TokenType type, boolean estimated) {
            int slot = type.ordinal() * 2 + (estimated ? 1 : 0);
            LongAdder adder = tokens.get(slot);
            if (adder == null) {
                LongAdder fresh = new LongAdder();
                if (tokens.compareAndSet(slot, null, fresh)) {
                    registerTokens(fresh, type, estimated); // once per series, by the thread that won
                }
                adder = tokens.get(slot);
            }
            return adder;
        }

        private void registerTokens(LongAdder adder, TokenType type, boolean estimated) {
            Tags tags = withAttributionTags(Tags.of("tenant", key.tenant, "provider", key.provider, "model", key.model,
                    "token_type", type.label(), "source", estimated ? "estimated" : "reported"), key.tags);
            FunctionCounter.builder("tollgate.tokens", adder, LongAdder::sum)
                    .description("Tokens by type and by whether the provider reported them or Tollgate counted them")
                    .tags(tags)
                    .register(registry);
        }
    }
}
