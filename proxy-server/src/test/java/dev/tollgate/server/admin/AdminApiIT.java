package dev.tollgate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.server.Tollgate;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture.MetricsText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API against a real Tollgate with a SQLite ledger and a config file on disk. */
class AdminApiIT {

    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500}}";
    static final String TOKEN = "admin-secret-token";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    FakeUpstream upstream;
    Tollgate tollgate;
    Path configFile;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start(request -> Reply.json(CHAT));
        configFile = dir.resolve("tollgate.yaml");
        Files.writeString(configFile, config("acme", "5", ""));
        tollgate = Tollgate.start(new ConfigLoader(System::getenv).load(configFile));
    }

    @AfterEach
    void stop() throws Exception {
        tollgate.close();
        upstream.close();
    }

    String config(String tenant, String monthlyLimit, String extraTenant) {
        return """
                server:
                  bind: 127.0.0.1
                  port: 0
                  admin_bind: 127.0.0.1
                  admin_port: 0
                  admin_token: %s
                  shutdown_grace_ms: 500
                routes:
                  - prefix: /openai
                    provider: openai
                    upstream: %s
                tenants:
                  identify_by: [header]
                  list:
                    - id: %s
                      budgets:
                        - {window: monthly, limit_usd: %s, action: reject}
                %s
                ledger:
                  sink: sqlite
                  path: %s
                """.formatted(TOKEN, upstream.uri(), tenant, monthlyLimit, extraTenant.indent(4).stripTrailing(),
                dir.resolve("ledger.db"));
    }

    @Test
    void adminCallsNeedTheTokenOnceOneIsConfigured() throws Exception {
        assertThat(admin("GET", "/admin/tenants", null).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/admin/tenants", TOKEN).statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/metrics", null).statusCode()).as("metrics stay open").isEqualTo(200);
    }

    @Test
    void tenantsShowSpendAndRequestsAndUsageComeFromTheLedger() throws Exception {
        HttpResponse<String> chat = chat("acme");
        assertThat(chat.statusCode()).isEqualTo(200);
        String id = chat.headers().firstValue("X-Tollgate-Request-Id").orElseThrow();
        // gpt-4o-mini: 1000 x 0.15 + 500 x 0.60 per 1M tokens = 0.00045 USD
        assertThat(chat.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000450000");

        JsonNode tenants = JSON.readTree(admin("GET", "/admin/tenants", TOKEN).body());
        JsonNode budget = tenants.at("/tenants/0/budgets/0");
        assertThat(tenants.at("/tenants/0/id").asText()).isEqualTo("acme");
        assertThat(budget.get("window").asText()).isEqualTo("monthly");
        assertThat(budget.get("spend_usd").asText()).isEqualTo("0.000450000");
        assertThat(budget.get("remaining_usd").asText()).isEqualTo("4.999550000");

        JsonNode record = awaitRecord(id);
        assertThat(record.get("tenant").asText()).isEqualTo("acme");
        assertThat(record.get("cost_nano_usd").asLong()).isEqualTo(450_000);
        assertThat(record.get("outcome").asText()).isEqualTo("ok");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode usage = JSON.readTree(admin("GET", "/admin/usage?from=" + today + "&to=" + today.plusDays(1)
                + "&group_by=tenant,model", TOKEN).body());
        assertThat(usage.toString()).contains("\"tenant\":\"acme\"").contains("\"model\":\"gpt-4o-mini\"");
        assertThat(admin("GET", "/admin/requests/01NOSUCHREQUEST0000000000", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void badReloadIsRefusedAndTheRunningConfigKept() throws Exception {
        Files.writeString(configFile, "tenants:\n  unknown: sometimes\n");

        HttpResponse<String> reload = admin("POST", "/admin/reload", TOKEN);

        assertThat(reload.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(reload.body()).get("error").asText()).startsWith(configFile + ":");
        assertThat(chat("acme").statusCode()).as("still serving the old config").isEqualTo(200);
    }

    @Test
    void goodReloadAddsTenantsAndChangesLimitsKeepingSpend() throws Exception {
        assertThat(chat("acme").statusCode()).isEqualTo(200);
        assertThat(chat("initech").statusCode()).as("not configured yet").isEqualTo(401);
        Files.writeString(configFile, config("acme", "7", "- id: initech"));

        HttpResponse<String> reload = admin("POST", "/admin/reload", TOKEN);

        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(chat("initech").statusCode()).isEqualTo(200);
        String metrics = admin("GET", "/metrics", null).body();
        assertThat(MetricsText.value(metrics, "tollgate_budget_limit_usd", Map.of("tenant", "acme"))).isEqualTo(7.0);
        assertThat(MetricsText.value(metrics, "tollgate_budget_spend_usd", Map.of("tenant", "acme"))).isEqualTo(0.00045);
    }

    private HttpResponse<String> chat(String tenant) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.proxyPort() + "/openai/v1/chat/completions"))
                .header("X-Tollgate-Tenant", tenant)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"max_tokens\":500,\"messages\":[]}"))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.adminPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Records reach the ledger asynchronously, within a batch interval. */
    private JsonNode awaitRecord(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> response;
        do {
            response = admin("GET", "/admin/requests/" + id, TOKEN);
            if (response.statusCode() == 200) {
                return JSON.readTree(response.body());
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no ledger record " + id + ": " + response.body());
    }
}
