package dev.tollgate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.server.Tollgate;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.RawHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every fault leaves one ledger record with the right outcome and status; the proxy keeps serving. */
class FaultOutcomesIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SSE = "data: {\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there\"}}]}\n\n";

    @TempDir
    static Path dir;
    static FakeUpstream upstream;
    static Tollgate tollgate;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            String body = request.body();
            if (body.contains("stall")) {
                return Reply.json("{}").stalling(5_000);
            }
            if (body.contains("hangup")) {
                return Reply.sse(SSE.repeat(5)).fragmented(new java.util.Random(1), 30).hangingUpAfter(3);
            }
            if (body.contains("slow")) {
                return Reply.sse(SSE.repeat(200)).fragmented(new java.util.Random(2), 40).pausing(20);
            }
            return Reply.json("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        });
        Path config = Files.writeString(dir.resolve("tollgate.yaml"), """
                server: {bind: 127.0.0.1, port: 0, admin_bind: 127.0.0.1, admin_port: 0, upstream_idle_timeout_ms: 800,
                         max_request_body_bytes: 2048, shutdown_grace_ms: 500}
                routes:
                  - {prefix: /openai, provider: openai, upstream: "%s"}
                tenants: {identify_by: [header], list: [{id: acme}]}
                ledger: {sink: jsonl, path: "%s"}
                """.formatted(upstream.uri(), dir.resolve("ledger.jsonl")));
        tollgate = Tollgate.start(new ConfigLoader(System::getenv).load(config));
    }

    @AfterAll
    static void stop() throws Exception {
        tollgate.close();
        upstream.close();
    }

    @Test
    void okRejectedTooLargeTimeoutAndUpstreamErrorsAreRecordedAsSuch() throws Exception {
        assertOutcome(post("ok", "acme"), 200, "ok");
        assertOutcome(post("ok", "nobody"), 401, "rejected");
        assertOutcome(post("x".repeat(3000), "acme"), 413, "rejected");
        assertOutcome(post("stall", "acme"), 504, "timeout");
        HttpResponse<String> hungUp = post("hangup", "acme");
        assertThat(hungUp.body()).as("a terminal error event ends the stream").contains("\"error\"");
        assertOutcome(hungUp, 200, "upstream_error");
    }

    @Test
    void clientThatHangsUpMidStreamIsRecordedAsAborted() throws Exception {
        String id;
        try (RawHttpClient client = RawHttpClient.connect(tollgate.proxyPort())) {
            client.send(RawHttpClient.post("/openai/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}",
                    "X-Tollgate-Tenant", "acme"));
            String head = new String(client.readSome(4096), StandardCharsets.ISO_8859_1);
            for (int reads = 0; reads < 50 && !head.contains("Hello there"); reads++) {
                head += new String(client.readSome(4096), StandardCharsets.ISO_8859_1); // some tokens, then hang up
            }
            Matcher matcher = Pattern.compile("(?i)x-tollgate-request-id: (\\S+)").matcher(head);
            assertThat(matcher.find()).as(head).isTrue();
            id = matcher.group(1);
        }
        JsonNode record = awaitRecord(id);
        assertThat(record.get("outcome").asText()).isEqualTo("client_aborted");
        assertThat(record.get("estimated").asBoolean()).as("output counted from what was streamed").isTrue();
        assertThat(record.get("output_tokens").asLong()).isPositive();
    }

    private static HttpResponse<String> post(String content, String tenant) throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"stream\":" + content.startsWith("hangup")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.proxyPort() + "/openai/v1/chat/completions"))
                .header("X-Tollgate-Tenant", tenant)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOutcome(HttpResponse<String> response, int status, String outcome) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode record = awaitRecord(response.headers().firstValue("X-Tollgate-Request-Id").orElseThrow());
        assertThat(record.get("status_code").asInt()).isEqualTo(status);
        assertThat(record.get("outcome").asText()).isEqualTo(outcome);
    }

    private static JsonNode awaitRecord(String id) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + tollgate.adminPort() + "/admin/requests/" + id);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> response;
        do {
            response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return JSON.readTree(response.body());
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no ledger record " + id + ": " + response.body());
    }
}
