package dev.tollgate.server.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture.MetricsText;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 MB responses through the real jar in a child JVM with a small heap and direct memory: the
 * proxy can only pass them if it never aggregates a body, and it must stop reading the upstream
 * while the client is not reading (the client pauses for 2 s after its first megabyte; how much the
 * upstream could send meanwhile is measured). Usage, which arrives at the very end, must still be
 * counted.
 *
 * <p>The heap is 64 MB, not 48: Tollgate's live set at idle is about 53 MB, 42 MB of it the two
 * jtokkit vocabularies the token estimator loads at startup, so 48 MB fails before serving.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LargeResponseIT {

    static final int MB = 1 << 20;
    static final int TARGET_BYTES = 50 * MB;
    /** The smallest heap Tollgate starts in, with a little room (see the class comment). */
    static final int HEAP_MB = 64;
    /**
     * While the client reads nothing, the upstream can fill only socket buffers (the kernel's, a few
     * MB each way on loopback) and the proxy's bounded ones; without backpressure it would send all.
     */
    static final long MAX_SENT_WHILE_CLIENT_PAUSES = 25L * MB;

    /** About 1 KB: one streamed chat chunk carrying some text. */
    static final String CHUNK = "data: {\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
            + "lorem ipsum dolor sit amet ".repeat(34) + "\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    static final String USAGE_CHUNK = "data: {\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12582912,"
            + "\"total_tokens\":12582943}}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    /** About 16 KB: embeddings of a 2,000-number vector, ending in a comma (another element follows). */
    static final String EMBEDDING;

    static {
        StringBuilder vector = new StringBuilder("{\"object\":\"embedding\",\"index\":7,\"embedding\":[");
        for (int i = 0; i < 2000; i++) {
            vector.append(i == 0 ? "" : ",").append("-0.00").append(1000 + i * 7 % 9000);
        }
        EMBEDDING = vector.append("]},").toString();
    }

    static final String JSON_HEAD = "{\"object\":\"list\",\"data\":[";
    static final String JSON_TAIL = "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5]}],"
            + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":987654,\"total_tokens\":987654}}";

    static FakeUpstream upstream;
    static Process child;
    static Path log;
    static int proxyPort;
    static int adminPort;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        String jar = System.getProperty("tollgate.jar");
        assertThat(jar).as("system property tollgate.jar (set by the failsafe config)").isNotNull();
        assertThat(Path.of(jar)).exists();

        upstream = FakeUpstream.start(request -> request.uri().endsWith("/embeddings") ? bigJson() : bigStream(request));
        proxyPort = freePort();
        adminPort = freePort();
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                server:
                  bind: 127.0.0.1
                  port: %d
                  admin_bind: 127.0.0.1
                  admin_port: %d
                  upstream_idle_timeout_ms: 30000
                routes:
                  - prefix: /openai
                    provider: openai
                    upstream: %s
                    api_key: sk-upstream
                tenants:
                  identify_by: [header]
                  list:
                    - id: globex
                ledger:
                  sink: none
                """.formatted(proxyPort, adminPort, upstream.uri()));
        log = dir.resolve("tollgate.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-Xmx" + HEAP_MB + "m", "-Dio.netty.maxDirectMemory=" + 64 * MB, "-XX:+ExitOnOutOfMemoryError",
                "-jar", jar, "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (child != null) {
                child.destroy();
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    @Test
    void fiftyMegabytesOfEventStreamPassWithASmallHeapAndTheUsageIsCounted() throws Exception {
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Write a lot.\"}]}";
        long sentBefore = upstream.bodyBytesSent();
        HttpResponse<InputStream> response = http.send(post("/openai/v1/chat/completions", body),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        Received received = readSlowlyAtFirst(response.body(), sentBefore);

        long chunks = chunkCount();
        long expected = chunks * CHUNK.length() + DONE.length();
        assertThat(received.bytes).as("every byte but the usage-only chunk the proxy asked for itself").isEqualTo(expected);
        assertThat(received.tail).endsWith("\"usage\":null}\n\n" + DONE);
        assertThat(upstream.lastRequest().body()).contains("\"include_usage\":true");

        Map<String, String> labels = Map.of("tenant", "globex", "model", "gpt-4o-mini-2024-07-18", "source", "reported");
        assertThat(awaitMetric("tollgate_tokens_total", Map.of("tenant", "globex", "model", "gpt-4o-mini-2024-07-18",
                "token_type", "output"), 12_582_912)).isEqualTo(12_582_912);
        assertThat(metric("tollgate_tokens_total", with(labels, "token_type", "input"))).isEqualTo(31);
        assertChildAlive();
    }

    @Test
    void fiftyMegabytesOfJsonPassWithASmallHeapAndTheUsageIsCounted() throws Exception {
        long sentBefore = upstream.bodyBytesSent();
        HttpResponse<InputStream> response = http.send(post("/openai/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\"]}"), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        Received received = readSlowlyAtFirst(response.body(), sentBefore);

        assertThat(received.bytes).isEqualTo(jsonLength());
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(jsonLength());
        assertThat(received.tail).endsWith(JSON_TAIL);
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD"))
                .as("a body too big to hold goes out before its cost is known").isEmpty();
        assertThat(awaitMetric("tollgate_tokens_total", Map.of("tenant", "globex", "model", "text-embedding-3-small",
                "token_type", "input"), 987_654)).isEqualTo(987_654);
        assertChildAlive();
    }

    // ---- the upstream's bodies: the same few arrays repeated, so the test JVM holds little ----

    private static Reply bigStream(FakeUpstream.Recorded request) {
        byte[] block = CHUNK.repeat(16).getBytes(UTF_8);
        List<byte[]> fragments = new ArrayList<>(Collections.nCopies((int) (chunkCount() / 16), block));
        if (request.body().contains("\"include_usage\":true")) {
            fragments.add(USAGE_CHUNK.getBytes(UTF_8));
        }
        fragments.add(DONE.getBytes(UTF_8));
        return new Reply(200, "text/event-stream", fragments, 0, true, -1, 0);
    }

    private static Reply bigJson() {
        byte[] block = EMBEDDING.repeat(4).getBytes(UTF_8);
        List<byte[]> fragments = new ArrayList<>();
        fragments.add(JSON_HEAD.getBytes(UTF_8));
        fragments.addAll(Collections.nCopies(jsonBlocks(), block));
        fragments.add(JSON_TAIL.getBytes(UTF_8));
        return new Reply(200, "application/json", fragments, 0, false, -1, 0);
    }

    private static long chunkCount() {
        return (TARGET_BYTES / CHUNK.length()) / 16 * 16;
    }

    private static int jsonBlocks() {
        return TARGET_BYTES / (EMBEDDING.length() * 4);
    }

    private static long jsonLength() {
        return JSON_HEAD.length() + (long) jsonBlocks() * EMBEDDING.length() * 4 + JSON_TAIL.length();
    }

    // ---- helpers ----

    private record Received(long bytes, String tail) {}

    /** Reads one megabyte, stops reading for 2 s (the upstream must be held back), then reads the rest. */
    private static Received readSlowlyAtFirst(InputStream in, long sentBefore) throws IOException, InterruptedException {
        byte[] buffer = new byte[64 * 1024];
        byte[] tail = new byte[0];
        long total = 0;
        boolean paused = false;
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                byte[] joined = Arrays.copyOf(tail, tail.length + n);
                System.arraycopy(buffer, 0, joined, tail.length, n);
                tail = Arrays.copyOfRange(joined, Math.max(0, joined.length - 512), joined.length);
                if (!paused && total >= MB) {
                    paused = true;
                    Thread.sleep(2_000);
                    long sent = upstream.bodyBytesSent() - sentBefore;
                    System.out.printf("LargeResponseIT: client read %d bytes, upstream sent %d bytes during the pause%n",
                            total, sent);
                    assertThat(sent).as("bytes the upstream could send while the client read nothing for 2 s")
                            .isLessThan(MAX_SENT_WHILE_CLIENT_PAUSES);
                    assertChildAlive();
                }
            }
        }
        return new Received(total, new String(tail, UTF_8));
    }

    private static HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .header("X-Tollgate-Tenant", "globex")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            assertChildAlive();
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Tollgate did not become ready within 60 s; its output:\n" + output());
    }

    private static void assertChildAlive() throws IOException {
        assertThat(child.isAlive()).as("the child Tollgate is running; its output:\n%s", output()).isTrue();
    }

    private static double metric(String name, Map<String, String> labels) throws Exception {
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        return MetricsText.value(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body(), name, labels);
    }

    private static double awaitMetric(String name, Map<String, String> labels, double expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double value = metric(name, labels);
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            value = metric(name, labels);
        }
        return value;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> labels = new java.util.HashMap<>(base);
        labels.put(key, value);
        return labels;
    }

    private static String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
