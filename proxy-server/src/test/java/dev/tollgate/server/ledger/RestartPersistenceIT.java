package dev.tollgate.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.server.cli.ReportCommand;
import dev.tollgate.server.testing.ChildTollgate;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture.MetricsText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spend acknowledged to the ledger survives {@code kill -9}: the restarted proxy rebuilds every
 * budget's spend from the SQLite ledger, and the month-end report equals the metrics' totals.
 */
class RestartPersistenceIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void spendSurvivesKillMinusNineAndTheReportMatchesTheMetrics() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start(request -> Reply.json(
                "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":340,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":200}}}"))) {
            Path ledger = dir.resolve("ledger.db");
            int port = ChildTollgate.freePort();
            int adminPort = ChildTollgate.freePort();
            Path config = Files.writeString(dir.resolve("tollgate.yaml"), """
                    server: {bind: 127.0.0.1, port: %d, admin_bind: 127.0.0.1, admin_port: %d}
                    routes:
                      - {prefix: /openai, provider: openai, upstream: "%s"}
                    tenants:
                      identify_by: [header]
                      list:
                        - id: acme
                          budgets:
                            - {window: monthly, limit_usd: 100, action: reject}
                            - {window: daily, limit_usd: 10, action: alert_only}
                    ledger: {sink: sqlite, path: "%s"}
                    """.formatted(port, adminPort, upstream.uri(), ledger));

            BigDecimal charged = BigDecimal.ZERO;
            double metricsTotal;
            try (ChildTollgate first = ChildTollgate.start(config, port, adminPort, dir.resolve("first.log"))) {
                for (int i = 0; i < 25; i++) {
                    HttpResponse<String> response = chat(port);
                    assertThat(response.statusCode()).isEqualTo(200);
                    charged = charged.add(new BigDecimal(response.headers().firstValue("X-Tollgate-Cost-USD").orElseThrow()));
                }
                metricsTotal = MetricsText.value(get(adminPort, "/metrics"), "tollgate_cost_usd_total", Map.of("tenant", "acme"));
                awaitLedgerSpend(adminPort, charged);
                first.kill();
            }

            try (ChildTollgate second = ChildTollgate.start(config, port, adminPort, dir.resolve("second.log"))) {
                JsonNode budgets = JSON.readTree(get(adminPort, "/admin/tenants")).at("/tenants/0/budgets");
                for (JsonNode budget : budgets) {
                    assertThat(new BigDecimal(budget.get("spend_usd").asText()))
                            .as(budget.get("window").asText() + " spend after kill -9 and restart").isEqualByComparingTo(charged);
                }
                assertThat(MetricsText.value(get(adminPort, "/metrics"), "tollgate_budget_spend_usd",
                        Map.of("tenant", "acme", "window", "monthly"))).isEqualTo(charged.doubleValue());
            }

            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = ReportCommand.run(ledger.toString(), today.withDayOfMonth(1).toString(),
                    today.withDayOfMonth(1).plusMonths(1).toString(), "tenant", "csv",
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            assertThat(code).isZero();
            String[] row = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("acme,")).findFirst()
                    .orElseThrow().split(",");
            assertThat(row[1]).as("requests").isEqualTo("25");
            assertThat(new BigDecimal(row[row.length - 1])).as("report total = sum of the cost headers").isEqualByComparingTo(charged);
            assertThat(new BigDecimal(row[row.length - 1]).doubleValue()).as("report total = metrics total")
                    .isEqualTo(metricsTotal);
        }
    }

    private static HttpResponse<String> chat(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openai/v1/chat/completions"))
                .header("X-Tollgate-Tenant", "acme")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"max_tokens\":400,\"messages\":[]}"))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(int adminPort, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits (bounded) until the ledger holds every request: what "acknowledged to the ledger" means. */
    private static void awaitLedgerSpend(int adminPort, BigDecimal expected) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String usage = "";
        while (System.nanoTime() < deadline) {
            usage = get(adminPort, "/admin/usage?from=" + today + "&to=" + today.plusDays(1));
            JsonNode rows = JSON.readTree(usage);
            if (rows.isArray() && rows.size() == 1 && new BigDecimal(rows.get(0).get("cost_usd").asText()).compareTo(expected) == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("ledger never reached " + expected + ": " + usage);
    }
}
