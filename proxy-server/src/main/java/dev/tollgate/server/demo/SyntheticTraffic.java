package dev.tollgate.server.demo;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a steady mix of requests from a few tenants through the proxy: chat and messages, streamed
 * and not, embeddings, several models and features. Seeded, so every demo run looks alike.
 */
public final class SyntheticTraffic implements AutoCloseable {

    private static final List<Call> CALLS = List.of(
            new Call("acme", "search", "/openai/v1/chat/completions", "gpt-4o-mini", true),
            new Call("acme", "search", "/openai/v1/chat/completions", "gpt-4o-mini", false),
            new Call("acme", "summarise", "/anthropic/v1/messages", "claude-sonnet-4-5", true),
            new Call("acme", "search", "/openai/v1/embeddings", "text-embedding-3-small", false),
            new Call("globex", "support", "/openai/v1/chat/completions", "gpt-4o", true),
            new Call("globex", "support", "/anthropic/v1/messages", "claude-haiku-4-5", false),
            new Call("globex", "triage", "/openai/v1/chat/completions", "gpt-4.1-nano", false),
            new Call("initech", "reports", "/anthropic/v1/messages", "claude-sonnet-4-5", true),
            new Call("initech", "reports", "/openai/v1/chat/completions", "gpt-4o", false));

    private final URI proxy;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-traffic");
        t.setDaemon(true);
        return t;
    });
    private final Random random = new Random(2026);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

    public SyntheticTraffic(URI proxy) {
        this.proxy = proxy;
    }

    /** Sends {@code perSecond} requests a second until closed, and prints a summary every {@code reportEvery}. */
    public void start(int perSecond, Duration reportEvery, PrintStream out) {
        timer.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        timer.scheduleAtFixedRate(() -> out.println("demo: responses so far by status " + summary()),
                reportEvery.toMillis(), reportEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Responses so far by HTTP status. */
    public Map<Integer, Long> summary() {
        Map<Integer, Long> copy = new java.util.TreeMap<>();
        statuses.forEach((status, count) -> copy.put(status, count.sum()));
        return copy;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void sendOne() {
        Call call = CALLS.get(random.nextInt(CALLS.size()));
        int words = 20 + random.nextInt(400);
        HttpRequest request = HttpRequest.newBuilder(proxy.resolve(call.path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Tollgate-Tenant", call.tenant)
                .header("X-Tollgate-Tags", "feature=" + call.feature)
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(call.body(words)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> statuses
                        .computeIfAbsent(error != null ? -1 : response.statusCode(), s -> new LongAdder())
                        .increment());
    }

    private record Call(String tenant, String feature, String path, String model, boolean stream) {
        String body(int words) {
            String prompt = "Summarise the attached notes for the weekly review. ".repeat(Math.max(1, words / 8));
            if (path.endsWith("/embeddings")) {
                return "{\"model\":\"" + model + "\",\"input\":\"" + prompt + "\"}";
            }
            String stream = this.stream ? ",\"stream\":true" : "";
            return "{\"model\":\"" + model + "\",\"max_tokens\":400" + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        }
    }
}
