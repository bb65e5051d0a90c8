package dev.tollgate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.server.testing.ChildTollgate;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and prompts never reach logs (at DEBUG), metrics, the ledger, or error bodies: a real proxy
 * process serves good and bad requests, then every one of those outputs is scanned for the secrets.
 */
class SecretsIT {

    static final String VIRTUAL_KEY = "tg-SECRET-virtual-key-7d1f9a";
    static final String WRONG_KEY = "tg-SECRET-wrong-key-0b7c2e";
    static final String UPSTREAM_KEY = "sk-SECRET-upstream-key-55aa";
    static final String CLIENT_PROVIDER_KEY = "sk-SECRET-client-own-key-3c3c";
    static final String PROMPT = "SECRET-PROMPT-the launch codes are 0000";
    static final String COMPLETION = "SECRET-COMPLETION-never store me";
    static final List<String> SECRETS = List.of(VIRTUAL_KEY, WRONG_KEY, UPSTREAM_KEY, CLIENT_PROVIDER_KEY, "SECRET-PROMPT",
            "SECRET-COMPLETION");

    @TempDir
    Path dir;

    @Test
    void noSecretLeavesTheProxyAnywhereButUpstream() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> errorBodies = new ArrayList<>();
        try (FakeUpstream upstream = FakeUpstream.start(request -> request.body().contains("fail")
                ? Reply.status(401, "application/json", "{\"error\":{\"message\":\"bad key\"}}")
                : Reply.json("{\"model\":\"gpt-4o\",\"choices\":[{\"message\":{\"content\":\"" + COMPLETION + "\"}}],"
                        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":9}}"))) {
            Path ledger = dir.resolve("ledger.db");
            Path jsonl = dir.resolve("ledger2");
            int port = ChildTollgate.freePort();
            int adminPort = ChildTollgate.freePort();
            Path config = Files.writeString(dir.resolve("tollgate.yaml"), """
                    server: {bind: 127.0.0.1, port: %d, admin_bind: 127.0.0.1, admin_port: %d}
                    routes:
                      - {prefix: /openai, provider: openai, upstream: "%s", api_key: "%s"}
                    tenants:
                      identify_by: [virtual_key, header]
                      attribution_tags: [feature]
                      list:
                        - id: acme
                          keys: ["%s"]
                    ledger: {sink: sqlite, path: "%s"}
                    """.formatted(port, adminPort, upstream.uri(), UPSTREAM_KEY, KeyHash.of(VIRTUAL_KEY), ledger));
            Path log = dir.resolve("tollgate.log");
            try (ChildTollgate proxy = ChildTollgate.start(config, port, adminPort, log, Map.of("TOLLGATE_LOG_LEVEL", "DEBUG"))) {
                String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
                URI chat = URI.create("http://127.0.0.1:" + port + "/openai/v1/chat/completions");
                assertThat(send(http, chat, body, "Authorization", "Bearer " + VIRTUAL_KEY).statusCode()).isEqualTo(200);
                errorBodies.add(send(http, chat, body, "Authorization", "Bearer " + WRONG_KEY).body());
                errorBodies.add(send(http, chat, body.replace("gpt-4o", "fail"), "X-Tollgate-Tenant", "acme",
                        "Authorization", "Bearer " + CLIENT_PROVIDER_KEY).body());
                errorBodies.add(send(http, chat, "{\"model\":\"" + PROMPT + "\", broken", "X-Tollgate-Tenant", "acme").body());
                errorBodies.add(send(http, chat, body, "x-api-key", WRONG_KEY, "X-Tollgate-Tags", "feature=search").body());
                Thread.sleep(1_000); // the ledger writes in batches of at most 200 ms
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(proxy.terminate(Duration.ofSeconds(20))).isIn(0, 143);
                assertNoSecret("metrics", metrics);
            }
            assertNoSecret("log", Files.readString(log));
            assertNoSecret("ledger", new String(Files.readAllBytes(ledger), StandardCharsets.ISO_8859_1));
            for (Path wal : List.of(dir.resolve("ledger.db-wal"), jsonl)) {
                if (Files.exists(wal)) {
                    assertNoSecret("ledger " + wal.getFileName(), new String(Files.readAllBytes(wal), StandardCharsets.ISO_8859_1));
                }
            }
            for (String error : errorBodies) {
                assertNoSecret("error body", error);
            }
            assertThat(upstream.requests().get(0).headers().get("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        }
    }

    private static HttpResponse<String> send(HttpClient http, URI uri, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertThat(text).as(where + " must not contain " + secret).doesNotContain(secret);
        }
    }
}
