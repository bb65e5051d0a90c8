package dev.tollgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many streams at once, of three providers, over many client connections (so over every event
 * loop and upstream pool), with paced, randomly cut upstream bytes: every client gets its exact
 * stream, and the totals are exactly the sum of the requests.
 */
class ConcurrentStreamsIT {

    static final int PER_KIND = 12;

    @Test
    void concurrentStreamsAreEachRelayedAndCountedExactly() throws Exception {
        Random random = new Random(123);
        FakeUpstream upstream = FakeUpstream.start(request -> {
            synchronized (random) {
                String stream;
                if (request.uri().contains("/messages")) {
                    stream = AnthropicIT.STREAM;
                } else if (request.uri().contains("/api/chat")) {
                    return Reply.ndjson(OllamaIT.CHAT_STREAM).fragmented(random, 60).pausing(2);
                } else {
                    stream = OpenAiStreamIT.CHUNKS + (request.body().contains("\"include_usage\":true") ? OpenAiStreamIT.USAGE_CHUNK : "")
                            + OpenAiStreamIT.DONE;
                }
                return Reply.sse(stream).fragmented(random, 60).pausing(2);
            }
        });
        try (TollgateFixture proxy = TollgateFixture.start(upstream)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> openAi = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> anthropic = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> ollama = new ArrayList<>();
            for (int i = 0; i < PER_KIND; i++) {
                openAi.add(send(http, proxy, "/openai/v1/chat/completions",
                        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}"));
                anthropic.add(send(http, proxy, "/anthropic/v1/messages",
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9,\"stream\":true,\"messages\":[]}"));
                ollama.add(send(http, proxy, "/ollama/api/chat", "{\"model\":\"llama3.2\",\"messages\":[]}"));
            }
            CompletableFuture.allOf(openAi.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(anthropic.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(ollama.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);

            assertThat(openAi).allSatisfy(f -> assertThat(f.join().body()).isEqualTo(OpenAiStreamIT.CHUNKS + OpenAiStreamIT.DONE));
            assertThat(anthropic).allSatisfy(f -> assertThat(f.join().body()).isEqualTo(AnthropicIT.STREAM));
            assertThat(ollama).allSatisfy(f -> assertThat(f.join().body()).isEqualTo(OllamaIT.CHAT_STREAM));

            Map<String, String> globex = Map.of("tenant", "globex", "source", "reported");
            assertThat(proxy.awaitMetric("tollgate_tokens_total",
                    Map.of("tenant", "globex", "model", "gpt-4o-2024-08-06", "token_type", "output"), 7 * PER_KIND))
                    .isEqualTo(7 * PER_KIND);
            assertThat(proxy.awaitMetric("tollgate_tokens_total",
                    Map.of("tenant", "globex", "model", AnthropicIT.MODEL, "token_type", "output"), 250 * PER_KIND))
                    .isEqualTo(250 * PER_KIND);
            assertThat(proxy.awaitMetric("tollgate_tokens_total",
                    Map.of("tenant", "globex", "model", "llama3.2", "token_type", "output"), 282 * PER_KIND))
                    .isEqualTo(282 * PER_KIND);
            assertThat(proxy.metricNow("tollgate_tokens_total", Map.of("tenant", "globex", "source", "estimated"))).isZero();
            assertThat(proxy.metricNow("tollgate_tokens_total", globex)).isPositive();
            // gpt-4o: 50*2.5 + 7*10 = 195 per 1M; the Anthropic stream 20,136 per 1M (see AnthropicIT)
            assertThat(proxy.awaitMetric("tollgate_cost_usd_total", Map.of("tenant", "globex", "model", "gpt-4o-2024-08-06"),
                    0.000195 * PER_KIND)).isCloseTo(0.000195 * PER_KIND, within(1e-12));
            assertThat(proxy.awaitMetric("tollgate_cost_usd_total", Map.of("tenant", "globex", "model", AnthropicIT.MODEL),
                    0.020136 * PER_KIND)).isCloseTo(0.020136 * PER_KIND, within(1e-12));
            assertThat(proxy.awaitMetric("tollgate_requests_total", Map.of("tenant", "globex", "code", "200"), 3 * PER_KIND))
                    .isEqualTo(3 * PER_KIND);
            for (String route : List.of("/openai", "/anthropic", "/ollama")) {
                assertThat(proxy.awaitMetric("tollgate_inflight_requests", Map.of("route", route), 0)).as(route).isZero();
            }
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpClient http, TollgateFixture proxy, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(proxy.uri(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Tollgate-Tenant", "globex")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
