package dev.tollgate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.server.e2e.DashboardQueries.Dashboard;
import dev.tollgate.server.e2e.DashboardQueries.PanelQuery;
import dev.tollgate.server.e2e.DashboardQueries.Variable;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Recorded;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The shipped jar, a real Prometheus and the shipped rules and dashboards, together on loopback.
 *
 * <p>{@code java -jar tollgate.jar --config <temp>} runs in front of a {@link FakeUpstream} that
 * answers like OpenAI and Anthropic (usage included, within the request's {@code max_tokens}).
 * Debian's {@code prometheus} binary scrapes the proxy's admin port every second and loads
 * {@code dashboards/prometheus/rules/*.yml} as they are. Traffic from three tenants (one with a
 * monthly hard budget of 1 US cent, which it runs into) and from unknown ones goes through the
 * proxy; then, through Prometheus's HTTP API only: every request is counted once, the budget
 * alert fires for the capped tenant and no other, and every query of every dashboard panel and
 * variable evaluates, with data wherever it reads the request, token or cost counters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusEndToEndIT {

    static final Duration STARTUP = Duration.ofSeconds(90);
    static final Duration SCRAPED = Duration.ofSeconds(60);
    static final Duration ALERT = Duration.ofSeconds(90);

    static final String CAPPED = "capped";     // monthly reject budget of 0.01 USD
    static final String ROOMY = "roomy";       // monthly reject 1000 USD, daily alert_only 100 USD
    static final String FREE = "free";         // no budget
    static final String FAIL = "[upstream-fails]";
    static final String NO_USAGE = "[no-usage]";
    /** About 2 KB of prompt: the fake upstream reports a token per 4 bytes of body, as English text has. */
    static final String PROMPT = "Summarise the quarterly cost report. ".repeat(55);
    static final Pattern MAX_TOKENS = Pattern.compile("\"max_tokens\":(\\d+)");
    static final Pattern MODEL = Pattern.compile("\"model\":\"([^\"]+)\"");

    static Path work;
    static FakeUpstream upstream;
    static ChildProcess proxy;
    static ChildProcess prometheus;
    static PrometheusApi api;
    static URI proxyUri;
    static URI adminUri;
    static int requestsSent;
    static int unknownSent;
    static final Map<Integer, Integer> capped = new TreeMap<>();   // status -> count for the capped tenant
    static final Random random = new Random(7);
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @RegisterExtension
    static final TestWatcher SHOW_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            showLogs();
        }
    };

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of(property("tollgate.jar", "target/tollgate.jar"));
        Path repo = Path.of(property("tollgate.repo", ".."));
        assertThat(jar).as("the shaded jar (built by 'package' before failsafe runs)").isRegularFile();
        String prometheusBinary = findPrometheus();
        work = Files.createTempDirectory("tollgate-e2e-");
        try {
            upstream = FakeUpstream.start(PrometheusEndToEndIT::answer);

            int proxyPort = ChildProcess.freePort();
            int adminPort = ChildProcess.freePort();
            Path config = Files.writeString(work.resolve("tollgate.yaml"), tollgateConfig(proxyPort, adminPort));
            proxy = ChildProcess.start("tollgate", List.of(javaBinary(), "-Xmx256m",
                    "-Dio.netty.leakDetection.level=paranoid", "-jar", jar.toString(), "--config", config.toString()),
                    work.resolve("tollgate.log"));
            proxyUri = URI.create("http://127.0.0.1:" + proxyPort);
            adminUri = URI.create("http://127.0.0.1:" + adminPort);

            int prometheusPort = ChildProcess.freePort();
            Path prometheusConfig = Files.writeString(work.resolve("prometheus.yml"),
                    prometheusConfig(adminPort, repo.toAbsolutePath().normalize().resolve("dashboards/prometheus/rules")));
            prometheus = ChildProcess.start("prometheus", List.of(prometheusBinary,
                    "--config.file=" + prometheusConfig,
                    "--storage.tsdb.path=" + work.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + prometheusPort),
                    work.resolve("prometheus.log"));
            api = new PrometheusApi(URI.create("http://127.0.0.1:" + prometheusPort));

            awaitReady();
            driveTraffic();
        } catch (Throwable t) {
            showLogs();
            throw t;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
            if (proxy != null) {
                proxy.close();
                // Best effort: the detector reports only buffers collected before the proxy exits.
                assertThat(proxy.output()).as("Netty's paranoid leak detector in the proxy process").doesNotContain("LEAK:");
            }
        } finally {
            if (upstream != null) {
                upstream.close();
            }
        }
        deleteRecursively(work);
    }

    @Test
    @Order(1)
    void prometheusCountsEveryRequestOnceAndTheSpendGaugeMatchesTheCost() throws Exception {
        assertThat(api.scalar("sum(tollgate_requests_total)")).as("requests sent, rejected ones included")
                .isEqualTo((double) requestsSent);
        assertThat(api.scalar("sum(tollgate_requests_total{tenant=\"" + CAPPED + "\", code=\"429\"})"))
                .isEqualTo((double) capped.get(429));
        assertThat(api.scalar("sum(tollgate_requests_total{tenant=\"unknown\", code=\"401\"})")).isEqualTo((double) unknownSent);
        assertThat(api.scalar("sum(tollgate_budget_spend_usd{tenant=\"" + CAPPED + "\"})"))
                .as("the budget gauge is the sum of the tenant's costs")
                .isCloseTo(api.scalar("sum(tollgate_cost_usd_total{tenant=\"" + CAPPED + "\"})"), within(1e-9))
                .isLessThanOrEqualTo(0.01);
    }

    @Test
    @Order(2)
    void everyDashboardQueryEvaluatesAndTrafficPanelsHaveData() throws Exception {
        DashboardQueries queries = DashboardQueries.load(Path.of(property("tollgate.repo", "..")));
        List<String> failures = new ArrayList<>();
        List<String> missingData = new ArrayList<>();
        List<String> report = new ArrayList<>();
        int run = 0;
        for (Dashboard dashboard : queries.dashboards()) {
            for (Map<String, String> values : dashboard.variants("feature", CAPPED)) {
                String with = describe(values);
                for (Variable variable : dashboard.variables()) {
                    JsonNode answer = variableAnswer(variable, values);
                    if (answer == null) {
                        continue;
                    }
                    run++;
                    String where = dashboard.file() + " variable " + variable.name() + " " + with;
                    List<String> options = new ArrayList<>();
                    answer.path("data").forEach(o -> options.add(o.asText()));
                    if (!variable.regex().isEmpty()) {
                        Pattern regex = Pattern.compile(variable.regex().substring(1, variable.regex().lastIndexOf('/')));
                        options.removeIf(o -> !regex.matcher(o).find());
                    }
                    if (!"success".equals(answer.path("status").asText())) {
                        failures.add(where + ": " + answer);
                    } else if (options.isEmpty()) {
                        missingData.add(where + ": no options");
                    }
                    report.add(where + " -> " + options);
                }
                for (PanelQuery panel : dashboard.panelQueries()) {
                    run++;
                    String expr = DashboardQueries.substitute(panel.expr(), values);
                    String where = panel.where(dashboard.file()) + " " + with;
                    JsonNode answer = api.query(expr);
                    if (!"success".equals(answer.path("status").asText())) {
                        failures.add(where + ": " + answer.path("errorType").asText() + ": " + answer.path("error").asText()
                                + "\n    " + expr);
                        continue;
                    }
                    JsonNode result = answer.path("data").path("result");
                    if (result.isEmpty() && queries.readsTraffic(panel.expr())) {
                        missingData.add(where + ": no data\n    " + expr);
                    }
                    report.add(where + " -> " + summary(result));
                }
            }
        }
        System.out.println("Dashboard queries against Prometheus (" + run + "):\n  " + String.join("\n  ", report));
        assertThat(failures).as("dashboard queries Prometheus refused").isEmpty();
        assertThat(missingData).as("queries of request, token and cost panels that returned nothing").isEmpty();
    }

    @Test
    @Order(3)
    void budgetAlertFiresForTheCappedTenantOnly() throws Exception {
        List<JsonNode> budgetAlerts = List.of();
        long deadline = System.nanoTime() + ALERT.toNanos();
        while (System.nanoTime() < deadline) {
            budgetAlerts = api.alerts().stream()
                    .filter(a -> a.path("labels").path("alertname").asText().equals("TollgateBudgetExceeded"))
                    .toList();
            if (budgetAlerts.stream().anyMatch(a -> isFiringFor(a, CAPPED))) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(budgetAlerts).as("TollgateBudgetExceeded alerts (firing for %s within %s)", CAPPED, ALERT)
                .anyMatch(a -> isFiringFor(a, CAPPED));
        JsonNode alert = budgetAlerts.stream().filter(a -> isFiringFor(a, CAPPED)).findFirst().orElseThrow();
        assertThat(alert.path("labels").path("window").asText()).isEqualTo("monthly");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("annotations").path("runbook_url").asText()).isEqualTo("docs/runbooks.md#tollgatebudgetexceeded");
        assertThat(budgetAlerts).as("no budget alert for tenants within their budgets")
                .allMatch(a -> a.path("labels").path("tenant").asText().equals(CAPPED));

        JsonNode viaQuery = api.query("ALERTS{alertname=\"TollgateBudgetExceeded\", alertstate=\"firing\"}");
        PrometheusApi.requireSuccess("ALERTS", viaQuery);
        assertThat(viaQuery.path("data").path("result")).singleElement()
                .satisfies(series -> assertThat(series.path("metric").path("tenant").asText()).isEqualTo(CAPPED));
    }

    // --- set-up -------------------------------------------------------------------------------

    private static String tollgateConfig(int proxyPort, int adminPort) {
        return """
                server:
                  bind: 127.0.0.1
                  port: %1$d
                  admin_bind: 127.0.0.1
                  admin_port: %2$d
                  upstream_connect_timeout_ms: 5000
                  upstream_idle_timeout_ms: 30000
                routes:
                  - prefix: /openai
                    provider: openai
                    upstream: %3$s
                    api_key: sk-e2e-openai
                  - prefix: /anthropic
                    provider: anthropic
                    upstream: %3$s
                    api_key: sk-ant-e2e
                  - prefix: /local
                    provider: openai-compatible
                    upstream: %3$s
                tenants:
                  identify_by: [header]
                  header: X-Tollgate-Tenant
                  unknown: reject
                  attribution_tags: [feature]
                  list:
                    - id: capped
                      budgets:
                        - {window: monthly, limit_usd: 0.01, action: reject}
                    - id: roomy
                      budgets:
                        - {window: monthly, limit_usd: 1000, action: reject}
                        - {window: daily, limit_usd: 100, action: alert_only}
                    - id: free
                ledger:
                  sink: sqlite
                  path: %4$s
                """.formatted(proxyPort, adminPort, upstream.uri(), work.resolve("ledger.db"));
    }

    private static String prometheusConfig(int adminPort, Path rules) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - '%2$s/*.yml'
                scrape_configs:
                  - job_name: tollgate
                    static_configs:
                      - targets: ['127.0.0.1:%1$d']
                """.formatted(adminPort, rules);
    }

    /** Both children up, the proxy accepting, and Prometheus scraping it. */
    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!api.ready() || !proxyReady()) {
            prometheus.assertAlive();
            proxy.assertAlive();
            if (System.nanoTime() > deadline) {
                fail("Prometheus or the proxy not ready within " + STARTUP);
            }
            Thread.sleep(250);
        }
        awaitQuery("up{job=\"tollgate\"} == 1", STARTUP);
    }

    private static boolean proxyReady() throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(adminUri.resolve("/readyz")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Waits until {@code expr} returns something. */
    private static void awaitQuery(String expr, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            proxy.assertAlive();
            prometheus.assertAlive();
            JsonNode answer = api.query(expr);
            PrometheusApi.requireSuccess(expr, answer);
            if (!answer.path("data").path("result").isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("no result for " + expr + " within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /**
     * A first request of every kind, then (once Prometheus has seen those series, so that
     * increase() and rate() see what follows) the rest, with the capped tenant sending until its
     * budget refuses it.
     */
    private static void driveTraffic() throws Exception {
        for (int round = 0; round < 2; round++) {
            int repeat = round == 0 ? 1 : 4;
            for (int i = 0; i < repeat; i++) {
                expect(200, chat(ROOMY, "search", "gpt-4o-mini", false, ""));
                expect(200, chat(ROOMY, "chat", "gpt-4o", true, ""));
                expect(200, messages(ROOMY, "search"));
                expect(200, chat(FREE, "batch", "gpt-4o-mini", true, ""));
                expect(200, local(FREE, "llama-3.1-8b-instruct"));
                expect(200, chat(FREE, "batch", "gpt-4o-mini", false, NO_USAGE));
                expect(503, chat(FREE, "batch", "gpt-4o-mini", false, FAIL));
                expect(503, chat(CAPPED, "batch", "gpt-4o-mini", false, FAIL));
                expect(401, chat("nobody", "search", "gpt-4o-mini", false, ""));
                unknownSent++;
            }
            if (round == 0) {
                sendCapped(2);
                awaitQuery("tollgate_requests_total{tenant=\"unknown\"}", SCRAPED);
                awaitQuery("tollgate_requests_total{tenant=\"" + CAPPED + "\"}", SCRAPED);
                Thread.sleep(2_000); // a couple more scrapes of the first values
            }
        }
        expect(401, send(HttpRequest.newBuilder(proxyUri.resolve("/openai/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("gpt-4o-mini", false)))
                .header("Content-Type", "application/json")));
        unknownSent++;
        sendCapped(200);
        assertThat(capped.getOrDefault(200, 0)).as("capped requests served before its budget ran out: %s", capped).isGreaterThan(10);
        assertThat(capped.getOrDefault(429, 0)).as("capped requests refused: %s", capped).isGreaterThanOrEqualTo(3);
        awaitQuery("sum(tollgate_requests_total) == " + requestsSent, SCRAPED);
        // rate() needs two samples: let the series created last be scraped a few more times.
        for (String counter : List.of("requests", "requests_rejected", "tokens", "cost_usd", "unpriced_requests")) {
            awaitQuery("min(count_over_time(tollgate_" + counter + "_total[1m])) >= 3", SCRAPED);
        }
    }

    /** Requests of the capped tenant (one in four a stream) until three are refused, at most {@code max}. */
    private static void sendCapped(int max) throws Exception {
        int refused = 0;
        for (int i = 0; i < max && refused < 3; i++) {
            HttpResponse<String> response = chat(CAPPED, i % 2 == 0 ? "search" : "chat", "gpt-4o-mini", i % 4 == 3, "");
            capped.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 429) {
                assertThat(response.body()).contains("budget_exceeded");
                refused++;
            } else {
                expect(200, response);
            }
        }
    }

    private static HttpResponse<String> chat(String tenant, String feature, String model, boolean stream, String marker)
            throws Exception {
        return post("/openai/v1/chat/completions", tenant, feature, chatBody(model, stream).replace("\"Hi ", "\"Hi " + marker));
    }

    private static HttpResponse<String> local(String tenant, String model) throws Exception {
        return post("/local/v1/chat/completions", tenant, "batch", chatBody(model, false));
    }

    private static HttpResponse<String> messages(String tenant, String feature) throws Exception {
        return post("/anthropic/v1/messages", tenant, feature, """
                {"model":"claude-haiku-4-5","max_tokens":300,"messages":[{"role":"user","content":"%s"}]}"""
                .formatted(PROMPT));
    }

    private static String chatBody(String model, boolean stream) {
        return """
                {"model":"%s","max_tokens":400,"stream":%s,"messages":[{"role":"user","content":"Hi %s"}]}"""
                .formatted(model, stream, PROMPT);
    }

    private static HttpResponse<String> post(String path, String tenant, String feature, String body) throws Exception {
        return send(HttpRequest.newBuilder(proxyUri.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-Tollgate-Tenant", tenant)
                .header("X-Tollgate-Tags", "feature=" + feature));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        proxy.assertAlive();
        requestsSent++;
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.uri(), response.body())
                .isEqualTo(status);
    }

    // --- the fake provider --------------------------------------------------------------------

    /**
     * Answers like the provider would: a token per 4 bytes of request body, and output within the
     * request's max_tokens, so every request costs less than the bound its budget check assumed.
     */
    private static Reply answer(Recorded request) {
        String body = request.body();
        String model = group(MODEL, body, "gpt-4o-mini");
        long input = body.length() / 4;
        long output = Math.min(Long.parseLong(group(MAX_TOKENS, body, "400")), 300);
        if (body.contains(FAIL)) {
            return Reply.status(503, "application/json",
                    "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\",\"code\":null}}");
        }
        if (request.uri().endsWith("/v1/messages")) {
            return Reply.json("""
                    {"id":"msg_e2e","type":"message","role":"assistant","model":"%s","content":[{"type":"text","text":"Done."}],\
                    "stop_reason":"end_turn","usage":{"input_tokens":%d,"output_tokens":%d}}""".formatted(model, input, output));
        }
        String billed = model.equals("gpt-4o-mini") ? "gpt-4o-mini-2024-07-18" : model;
        if (body.contains("\"stream\":true")) {
            String chunk = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + billed
                    + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]}\n\n";
            String usage = body.contains("\"include_usage\":true")
                    ? "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + billed
                            + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + input + ",\"completion_tokens\":" + output
                            + ",\"total_tokens\":" + (input + output) + "}}\n\n"
                    : "";
            return Reply.sse(chunk.formatted("The total", "null") + chunk.formatted(" is fine.", "null")
                    + chunk.formatted("", "\"stop\"") + usage + "data: [DONE]\n\n").fragmented(random, 48).pausing(5);
        }
        String usage = body.contains(NO_USAGE) ? "" : ",\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d}"
                .formatted(input, output, input + output);
        return Reply.json("""
                {"id":"c1","object":"chat.completion","model":"%s","choices":[{"index":0,\
                "message":{"role":"assistant","content":"The total is fine."},"finish_reason":"stop"}]%s}"""
                .formatted(billed, usage));
    }

    private static String group(Pattern pattern, String text, String otherwise) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }

    // --- helpers ------------------------------------------------------------------------------

    private static JsonNode variableAnswer(Variable variable, Map<String, String> values) throws Exception {
        String[] labelValues = variable.labelValues();
        if (labelValues != null) {
            String selector = labelValues[0] == null ? "{__name__=~\".+\"}" : labelValues[0];
            return api.labelValues(labelValues[1], DashboardQueries.substitute(selector, values));
        }
        String labelNames = variable.labelNames();
        if (labelNames != null) {
            return api.labelNames(DashboardQueries.substitute(labelNames, values));
        }
        return null;
    }

    private static boolean isFiringFor(JsonNode alert, String tenant) {
        return alert.path("state").asText().equals("firing") && alert.path("labels").path("tenant").asText().equals(tenant);
    }

    private static String describe(Map<String, String> values) {
        StringBuilder s = new StringBuilder("(");
        values.forEach((k, v) -> {
            if (!k.startsWith("__")) {
                s.append(s.length() > 1 ? ", " : "").append(k).append('=').append('\'').append(v).append('\'');
            }
        });
        return s.append(')').toString();
    }

    private static String summary(JsonNode result) {
        if (result.isEmpty()) {
            return "EMPTY";
        }
        List<String> values = new ArrayList<>();
        result.forEach(series -> values.add(series.path("value").get(1).asText()));
        return result.size() + " series " + (values.size() > 4 ? values.subList(0, 4) + "..." : values);
    }

    private static String property(String name, String otherwise) {
        return System.getProperty(name, otherwise);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code -Dprometheus.binary}, else {@code prometheus} on the PATH, else {@code /usr/bin/prometheus}. */
    private static String findPrometheus() {
        String configured = System.getProperty("prometheus.binary");
        if (configured != null) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/prometheus"))) {
            return "/usr/bin/prometheus";
        }
        return fail("this test needs a real Prometheus: install Debian's 'prometheus' package "
                + "(apt-get install prometheus; .ci/run installs it) or pass -Dprometheus.binary=/path/to/prometheus");
    }

    private static void showLogs() {
        for (ChildProcess child : new ChildProcess[] {proxy, prometheus}) {
            if (child != null) {
                System.out.println(child.tail(200));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
