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
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Exports every finished request to Prometheus (CONTRACT §7). Meters are built once per label set
 * and cached, so recording a request is a map look-up and a few adds: no registry look-up, no tag
 * objects, no lock. Token and cost totals are kept as exact integers ({@link LongAdder}) and turned
 * into a double only when scraped.
 *
 * <p>A request's labels (tenant, provider, model, route, attribution tags) select one {@code Series},
 * which keeps the meters that request has needed so far. Recording a request is then one look-up by
 * a hand-written key and a few field reads; the per-meter maps below are consulted only the first time
 * a series needs a meter.
 */
public final class ProxyMetrics implements ExchangeListener {

    private static final String NONE = "none";
    private static final String[] NO_TAG_VALUES = {};
    private static final TokenType[] TOKEN_TYPES = TokenType.values(); // values() copies the array on each call
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
    private final Map<SeriesKey, Series> seriesByLabels = new ConcurrentHashMap<>();

    // Every meter by its own labels. Records are fine as keys here: a series looks each meter up once.
    private final Map<RequestKey, Counter> requestCounters = new ConcurrentHashMap<>();
    private final Map<SpendKey, SpendMeters> spendMeters = new ConcurrentHashMap<>();
    private final Map<ModelKey, Counter> unpricedCounters = new ConcurrentHashMap<>();
    private final Map<DurationKey, Timer> durationTimers = new ConcurrentHashMap<>();
    private final Map<ModelKey, Timer> ttftTimers = new ConcurrentHashMap<>();
    private final Map<RejectionKey, Counter> rejectedCounters = new ConcurrentHashMap<>();

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
            rejectedCounters.computeIfAbsent(new RejectionKey(tenant.value(), "budget"), this::newRejectedCounter);
        }
        rejectedCounters.computeIfAbsent(new RejectionKey(TenantId.UNKNOWN.value(), "auth"), this::newRejectedCounter);
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
        requestCounters.computeIfAbsent(new RequestKey("unknown", NONE, NONE, NONE, statusCode, tagValuesNone),
                this::newRequestCounter).increment();
        rejectedCounters.computeIfAbsent(new RejectionKey("unknown", statusCode == 404 ? "bad_request" : reasonOf(statusCode)),
                this::newRejectedCounter).increment();
    }

    @Override
    public void onExchange(ExchangeRecord record) {
        Series series = seriesOf(record);
        series.route.inflight.decrement();

        CodeMeters code = series.code(record.statusCode());
        code.requests.increment();
        if (record.outcome() == Outcome.REJECTED) {
            code.rejected().increment();
        }
        if (record.overheadNanos() >= 0) {
            series.route.overhead.record(record.overheadNanos(), TimeUnit.NANOSECONDS);
        }
        if (record.outcome() == Outcome.REJECTED || !record.endpoint().isMetered()) {
            return;
        }
        series.duration().record(record.durationNanos(), TimeUnit.NANOSECONDS);
        if (record.stream() && record.ttftNanos() >= 0) {
            series.ttft().record(record.ttftNanos(), TimeUnit.NANOSECONDS);
        }
        TokenUsage usage = record.usage();
        if (usage.equals(TokenUsage.ZERO)) {
            return;
        }
        series.spend().add(usage, record.estimated(), record.costNanoUsd());
        if (!record.priced()) {
            series.unpriced().increment();
        }
    }

    private Series seriesOf(ExchangeRecord record) {
        SeriesKey key = new SeriesKey(record.tenant().value(), record.provider().configName(),
                models.get(record.provider()).valueOf(record.modelBilled()), record.route(), tagValuesOf(record.tags()));
        Series found = seriesByLabels.get(key);
        // get first: computeIfAbsent may lock the bin even when the key is there
        return found != null ? found : seriesByLabels.computeIfAbsent(key, Series::new);
    }

    private RouteMeters routeMeters(String prefix) {
        RouteMeters meters = routes.get(prefix);
        if (meters == null) {
            throw new IllegalStateException("route " + prefix + " was not configured when metrics were built");
        }
        return meters;
    }

    private String[] tagValuesOf(Map<String, String> requestTags) {
        if (tagKeys.isEmpty()) {
            return NO_TAG_VALUES;
        }
        String[] values = new String[tagKeys.size()];
        for (int i = 0; i < values.length; i++) {
            String key = tagKeys.get(i);
            values[i] = tagValues.get(key).valueOf(requestTags.get(key));
        }
        return values;
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

    /**
     * The labels of one {@link Series}. Hand-written rather than a record: a record's equals and
     * hashCode go through invokedynamic, and behind ConcurrentHashMap's megamorphic call sites they
     * were not inlined (DirectMethodHandle frames on every request). The hash is computed once, and
     * String.equals returns at once on the same instance, which most labels are (config strings).
     */
    private static final class SeriesKey {
        final String tenant;
        final String provider;
        final String model;
        final String route;
        final String[] tags;
        private final int hash;

        SeriesKey(String tenant, String provider, String model, String route, String[] tags) {
            this.tenant = tenant;
            this.provider = provider;
            this.model = model;
            this.route = route;
            this.tags = tags;
            int h = tenant.hashCode();
            h = 31 * h + provider.hashCode();
            h = 31 * h + model.hashCode();
            h = 31 * h + route.hashCode();
            this.hash = 31 * h + Arrays.hashCode(tags);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SeriesKey k && hash == k.hash && tenant.equals(k.tenant) && provider.equals(k.provider)
                    && model.equals(k.model) && route.equals(k.route) && Arrays.equals(tags, k.tags);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The meters of one label set, each found in the maps above on first use and kept here. Made on
     * first use too, so a series that never sees a stream has no TTFT meter, as before. Any thread:
     * two threads racing to fill a field find the same meter in the map, so either write is right.
     */
    private final class Series {
        final SeriesKey key;
        final RouteMeters route;
        final List<String> tags;
        // Copy-on-write, small: a series sees few distinct status codes.
        private volatile CodeMeters[] codes = {};
        private volatile @Nullable Timer duration;
        private volatile @Nullable Timer ttft;
        private volatile @Nullable SpendMeters spend;
        private volatile @Nullable Counter unpriced;

        Series(SeriesKey key) {
            this.key = key;
            this.route = routeMeters(key.route);
            this.tags = List.of(key.tags);
        }

        CodeMeters code(int statusCode) {
            CodeMeters[] known = codes;
            for (CodeMeters meters : known) {
                if (meters.code == statusCode) {
                    return meters;
                }
            }
            Counter counter = requestCounters.computeIfAbsent(
                    new RequestKey(key.tenant, key.provider, key.model, key.route, statusCode, tags), k -> newRequestCounter(k));
            CodeMeters meters = new CodeMeters(key.tenant, statusCode, counter);
            CodeMeters[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = meters;
            codes = more; // a racing append may be lost: the code is then looked up once more
            return meters;
        }

        Timer duration() {
            Timer timer = duration;
            if (timer == null) {
                timer = durationTimers.computeIfAbsent(new DurationKey(key.provider, key.model, key.route),
                        k -> newDurationTimer(k));
                duration = timer;
            }
            return timer;
        }

        Timer ttft() {
            Timer timer = ttft;
            if (timer == null) {
                timer = ttftTimers.computeIfAbsent(new ModelKey(key.provider, key.model), k -> newTtftTimer(k));
                ttft = timer;
            }
            return timer;
        }

        SpendMeters spend() {
            SpendMeters meters = spend;
            if (meters == null) {
                meters = spendMeters.computeIfAbsent(new SpendKey(key.tenant, key.provider, key.model, tags), SpendMeters::new);
                spend = meters;
            }
            return meters;
        }

        Counter unpriced() {
            Counter counter = unpriced;
            if (counter == null) {
                counter = unpricedCounters.computeIfAbsent(new ModelKey(key.provider, key.model), k -> newUnpricedCounter(k));
                unpriced = counter;
            }
            return counter;
        }
    }

    /** The request counter of one status code in one series, and its refusal counter once needed. */
    private final class CodeMeters {
        final int code;
        final Counter requests;
        private final String tenant;
        private volatile @Nullable Counter rejected;

        CodeMeters(String tenant, int code, Counter requests) {
            this.tenant = tenant;
            this.code = code;
            this.requests = requests;
        }

        Counter rejected() {
            Counter counter = rejected;
            if (counter == null) {
                counter = rejectedCounters.computeIfAbsent(new RejectionKey(tenant, reasonOf(code)), k -> newRejectedCounter(k));
                rejected = counter;
            }
            return counter;
        }
    }

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
        private final AtomicReferenceArray<LongAdder> tokens = new AtomicReferenceArray<>(TOKEN_TYPES.length * 2);
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
            for (TokenType type : TOKEN_TYPES) {
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
