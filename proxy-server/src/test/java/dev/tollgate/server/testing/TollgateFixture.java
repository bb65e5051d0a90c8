package dev.tollgate.server.testing;

import dev.tollgate.core.budget.SpendSource;
import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.server.Tollgate;
import dev.tollgate.server.Transport;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.config.ProxyConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Tollgate on loopback in front of a {@link FakeUpstream}, with helpers to call it and to read
 * its {@code /metrics}. Every route of every provider points at the same fake upstream.
 */
public final class TollgateFixture implements AutoCloseable {

    /** The virtual key of tenant {@code acme}; its hash is in the config. */
    public static final String ACME_KEY = "tg-acme-test-key-0123456789";
    public static final String UPSTREAM_OPENAI_KEY = "sk-upstream-openai-secret";
    public static final String UPSTREAM_ANTHROPIC_KEY = "sk-ant-upstream-secret";

    private final FakeUpstream upstream;
    private final Tollgate tollgate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TollgateFixture(FakeUpstream upstream, Tollgate tollgate) {
        this.upstream = upstream;
        this.tollgate = tollgate;
    }

    public static TollgateFixture start(FakeUpstream upstream) throws Exception {
        return start(upstream, "");
    }

    /** Starts Tollgate with the standard test config plus {@code extraYaml} appended (top-level sections). */
    public static TollgateFixture start(FakeUpstream upstream, String extraYaml) throws Exception {
        return start(upstream, "", extraYaml, "", periods -> Map.of());
    }

    /**
     * Starts Tollgate with the standard test config, {@code serverYaml} added to its {@code server}
     * section (keys it does not set already, each line indented by two spaces), and
     * {@code extraYaml} appended.
     */
    public static TollgateFixture start(FakeUpstream upstream, String serverYaml, String extraYaml) throws Exception {
        return start(upstream, serverYaml, extraYaml, "", periods -> Map.of());
    }

    /**
     * Starts Tollgate with the standard test config, {@code extraYaml} appended (top-level sections),
     * {@code extraTenants} appended to {@code tenants.list} (items written from column 0, e.g.
     * {@code "- id: capped\n  budgets: ..."}), and budget spend seeded from {@code pastSpend}.
     */
    public static TollgateFixture start(FakeUpstream upstream, String extraYaml, String extraTenants, SpendSource pastSpend)
            throws Exception {
        return start(upstream, "", extraYaml, extraTenants, pastSpend);
    }

    private static TollgateFixture start(FakeUpstream upstream, String serverYaml, String extraYaml, String extraTenants,
            SpendSource pastSpend) throws Exception {
        String tenants = extraTenants.lines().map(line -> "    " + line + "\n").collect(Collectors.joining());
        String yaml = """
                server:
                  bind: 127.0.0.1
                  port: 0
                  admin_bind: 127.0.0.1
                  admin_port: 0
                  upstream_connect_timeout_ms: 2000
                  upstream_idle_timeout_ms: 1500
                  shutdown_grace_ms: 1000
                %6$sroutes:
                  - prefix: /openai
                    provider: openai
                    upstream: %1$s
                    api_key: %2$s
                  - prefix: /anthropic
                    provider: anthropic
                    upstream: %1$s
                    api_key: %3$s
                  - prefix: /local
                    provider: openai-compatible
                    upstream: %1$s
                  - prefix: /ollama
                    provider: ollama
                    upstream: %1$s
                tenants:
                  identify_by: [virtual_key, header]
                  unknown: reject
                  attribution_tags: [feature]
                  list:
                    - id: acme
                      keys: ["%4$s"]
                    - id: globex
                %5$sledger:
                  sink: none
                """.formatted(upstream.uri(), UPSTREAM_OPENAI_KEY, UPSTREAM_ANTHROPIC_KEY, KeyHash.of(ACME_KEY), tenants,
                serverYaml) + extraYaml;
        ProxyConfig config = new ConfigLoader(name -> null).parse(yaml, "test.yaml");
        return new TollgateFixture(upstream, Tollgate.start(config, Clock.systemUTC(), Transport.best(), pastSpend));
    }

    public FakeUpstream upstream() {
        return upstream;
    }

    public Tollgate tollgate() {
        return tollgate;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + tollgate.proxyPort() + path);
    }

    /** POSTs JSON with the given headers (name, value, name, value, ...). */
    public HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The admin listener's {@code /metrics} text. */
    public String scrape() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.adminPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * The value of the sample {@code name} whose labels include all of {@code labels}, or 0 when
     * there is none. Waits briefly for it, because a request is recorded just after its response.
     */
    public double metric(String name, Map<String, String> labels) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        double value;
        do {
            value = MetricsText.value(scrape(), name, labels);
            if (value != 0) {
                return value;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return value;
    }

    /** The current value of a sample (summed over matching label sets), without waiting. */
    public double metricNow(String name, Map<String, String> labels) throws IOException, InterruptedException {
        return MetricsText.value(scrape(), name, labels);
    }

    /**
     * Waits up to 5 seconds for the sample to reach {@code expected} (to 1e-12, for cost sums) and
     * returns its last value, so that an assertion on it shows what it was.
     */
    public double awaitMetric(String name, Map<String, String> labels, double expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        double value = metricNow(name, labels);
        while (Math.abs(value - expected) > 1e-12 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = metricNow(name, labels);
        }
        return value;
    }

    /** Waits up to 5 seconds for the sample's value to satisfy {@code condition}; returns its last value. */
    public double awaitMetric(String name, Map<String, String> labels, java.util.function.DoublePredicate condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        double value = metricNow(name, labels);
        while (!condition.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = metricNow(name, labels);
        }
        return value;
    }

    @Override
    public void close() throws Exception {
        tollgate.close();
        upstream.close();
    }

    /** Reads samples out of Prometheus text exposition. */
    public static final class MetricsText {
        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)", Pattern.MULTILINE);
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        private MetricsText() {}

        /** Sum of the samples of {@code name} whose labels include {@code labels}. */
        public static double value(String text, String name, Map<String, String> labels) {
            double sum = 0;
            Matcher sample = SAMPLE.matcher(text);
            while (sample.find()) {
                if (!sample.group(1).equals(name)) {
                    continue;
                }
                String labelText = sample.group(3) == null ? "" : sample.group(3);
                Map<String, String> found = new java.util.HashMap<>();
                Matcher label = LABEL.matcher(labelText);
                while (label.find()) {
                    found.put(label.group(1), label.group(2));
                }
                if (found.entrySet().containsAll(labels.entrySet())) {
                    sum += Double.parseDouble(sample.group(4));
                }
            }
            return sum;
        }
    }
}
