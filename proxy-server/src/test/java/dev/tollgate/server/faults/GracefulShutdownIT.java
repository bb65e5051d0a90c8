package dev.tollgate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.server.testing.ChildTollgate;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM: the proxy stops accepting at once, lets the stream in flight finish, writes its ledger
 * record, and exits.
 */
class GracefulShutdownIT {

    @TempDir
    Path dir;

    @Test
    void inFlightStreamFinishesAndIsRecordedAfterSigterm() throws Exception {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sse.append("data: {\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok").append(i)
                    .append("\"}}]}\n\n");
        }
        sse.append("data: {\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20}}\n\n");
        sse.append("data: [DONE]\n\n");
        String stream = sse.toString();
        try (FakeUpstream upstream = FakeUpstream.start(request -> new Reply(200, "text/event-stream",
                stream.lines().map(l -> (l + "\n").getBytes()).toList(), 40, true, -1, 0))) {
            Path ledger = dir.resolve("ledger.jsonl");
            int port = ChildTollgate.freePort();
            int adminPort = ChildTollgate.freePort();
            Path config = Files.writeString(dir.resolve("tollgate.yaml"), """
                    server: {bind: 127.0.0.1, port: %d, admin_bind: 127.0.0.1, admin_port: %d, shutdown_grace_ms: 15000}
                    routes:
                      - {prefix: /openai, provider: openai, upstream: "%s"}
                    tenants: {identify_by: [header], list: [{id: acme}]}
                    ledger: {sink: jsonl, path: "%s"}
                    """.formatted(port, adminPort, upstream.uri(), ledger));
            ChildTollgate proxy = ChildTollgate.start(config, port, adminPort, dir.resolve("tollgate.log"));
            try {
                HttpClient http = HttpClient.newHttpClient();
                CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openai/v1/chat/completions"))
                                .header("X-Tollgate-Tenant", "acme")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}"))
                                .timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                awaitUpstreamRequest(upstream);

                CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                    try {
                        return proxy.terminate(Duration.ofSeconds(25));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitRefusingConnections(port);

                HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(stream);
                assertThat(exit.get(25, TimeUnit.SECONDS)).as("exit code after SIGTERM").isIn(0, 143);
            } finally {
                proxy.close();
            }
            List<String> records = readLedger(dir);
            assertThat(records).hasSize(1);
            assertThat(records.get(0)).contains("\"outcome\":\"ok\"").contains("\"output_tokens\":20");
        }
    }

    private static void awaitUpstreamRequest(FakeUpstream upstream) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.requests().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(upstream.requests()).isNotEmpty();
    }

    /** The listener closes at once on SIGTERM, while the stream is still running. */
    private static void awaitRefusingConnections(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (IOException refused) {
                return;
            }
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("new connections refused").isInstanceOf(IOException.class);
    }

    private static List<String> readLedger(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("ledger") && f.toString().endsWith(".jsonl"))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .filter(line -> !line.isBlank())
                    .toList();
        }
    }
}
