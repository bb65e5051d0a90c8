package dev.tollgate.server.proxy;

import static dev.tollgate.server.proxy.OpenAiChatIT.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Anthropic messages through the proxy, streamed and not, with the upstream's bytes cut at random
 * points: cache reads and 5-minute/1-hour cache writes each priced at their own rate, and stream
 * usage merged field by field (message_delta repeats the input and cache counts).
 */
class AnthropicIT {

    static final String MODEL = "claude-sonnet-4-5-20250929";

    static final String MESSAGE = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Bonjour — ça va?"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":1000,"cache_creation_input_tokens":3000,"cache_read_input_tokens":2000,
                      "cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},
                      "output_tokens":500,"service_tier":"standard"}}""";

    /** Input reaches the 200,001-token tier: the tier's prices apply to the whole request. */
    static final String LONG_CONTEXT_MESSAGE = """
            {"id":"msg_03","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"A long answer."}],"stop_reason":"end_turn",
             "usage":{"input_tokens":150000,"cache_read_input_tokens":50001,"cache_creation_input_tokens":0,"output_tokens":1000}}""";

    static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":3000,"cache_read_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello — wörld"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":12,"cache_creation_input_tokens":3000,"cache_read_input_tokens":2000,"output_tokens":250}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    static final Random random = new Random(20251);
    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            if (request.body().contains("\"stream\":true")) {
                return Reply.sse(STREAM).fragmented(random, 64);
            }
            String body = request.body().contains("long-context") ? LONG_CONTEXT_MESSAGE : MESSAGE;
            return Reply.json(body).fragmented(random, 48);
        });
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @RepeatedTest(5)
    void nonStreamingMessagePricesEachCacheLifetimeAtItsOwnRate() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "anthropic", "model", MODEL);
        double costBefore = proxy.metricNow("tollgate_cost_usd_total", labels);
        double cacheWriteBefore = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "cache_write"));

        HttpResponse<String> response = proxy.post("/anthropic/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":\"Salut\"}]}",
                "x-api-key", TollgateFixture.ACME_KEY, "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(MESSAGE);
        // claude-sonnet-4-5 per 1M: input 3, cache read 0.3, 5m write 3.75, 1h write 6, output 15.
        // 1000*3 + 2000*0.3 + 1000*3.75 + 2000*6 + 500*15 = 26,850 per 1M tokens = 0.026850000 USD
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.026850000");
        assertThat(response.headers().firstValue("X-Tollgate-Request-Id")).isPresent();

        FakeUpstream.Recorded forwarded = upstream.lastRequest();
        assertThat(forwarded.uri()).isEqualTo("/v1/messages");
        assertThat(forwarded.headers().get("x-api-key")).isEqualTo(TollgateFixture.UPSTREAM_ANTHROPIC_KEY);
        assertThat(forwarded.headers().contains("Authorization")).isFalse();
        assertThat(forwarded.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(forwarded.headers().toString()).doesNotContain(TollgateFixture.ACME_KEY);

        assertThat(proxy.awaitMetric("tollgate_cost_usd_total", labels, costBefore + 0.02685))
                .isCloseTo(costBefore + 0.02685, within(1e-12));
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "cache_write"), cacheWriteBefore + 3000))
                .isEqualTo(cacheWriteBefore + 3000);
    }

    @Test
    void tokensOfANonStreamingMessageAreExportedByType() throws Exception {
        Map<String, String> labels = Map.of("tenant", "globex", "provider", "anthropic", "model", MODEL, "source", "reported");

        HttpResponse<String> response = proxy.post("/anthropic/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[]}",
                "X-Tollgate-Tenant", "globex", "x-api-key", "sk-ant-globex-own", "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.lastRequest().headers().get("x-api-key")).as("header mode: the client's own key")
                .isEqualTo("sk-ant-globex-own");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "input"), 1000)).isEqualTo(1000);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "cached_input"), 2000)).isEqualTo(2000);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "cache_write"), 3000)).isEqualTo(3000);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), 500)).isEqualTo(500);
        assertThat(proxy.awaitMetric("tollgate_requests_total",
                Map.of("tenant", "globex", "provider", "anthropic", "model", MODEL, "route", "/anthropic", "code", "200"), 1))
                .isEqualTo(1);
    }

    @Test
    void aLongContextRequestIsPricedAtTheTierForTheWholeRequest() throws Exception {
        HttpResponse<String> response = proxy.post("/anthropic/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":\"long-context\"}]}",
                "x-api-key", TollgateFixture.ACME_KEY, "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(200);
        // 150,000 + 50,001 = 200,001 input tokens: the tier (input 6, cache read 0.6, output 22.5) applies.
        // 150000*6 + 50001*0.6 + 1000*22.5 = 952,500.6 per 1M tokens = 0.952500600 USD
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.952500600");
    }

    @RepeatedTest(5)
    void streamedMessageMergesRepeatedUsageInsteadOfAddingIt() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "anthropic", "model", MODEL, "source", "reported");
        double input = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "input"));
        double cached = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "cached_input"));
        double cacheWrite = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "cache_write"));
        double output = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"));
        double cost = proxy.metricNow("tollgate_cost_usd_total", Map.of("tenant", "acme", "model", MODEL));

        HttpResponse<String> response = proxy.post("/anthropic/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "Authorization", "Bearer " + TollgateFixture.ACME_KEY, "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(response.body()).as("an Anthropic stream is relayed byte for byte").isEqualTo(STREAM);
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).as("unknown when the head is sent").isEmpty();
        assertThat(upstream.lastRequest().body()).doesNotContain("stream_options");
        assertThat(upstream.lastRequest().headers().get("x-api-key")).isEqualTo(TollgateFixture.UPSTREAM_ANTHROPIC_KEY);
        assertThat(upstream.lastRequest().headers().contains("Authorization")).isFalse();

        // message_start and message_delta both say input 12, cache read 2000, cache write 3000: counted once.
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), output + 250))
                .isEqualTo(output + 250);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "input"), input + 12))
                .isEqualTo(input + 12);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "cached_input"), cached + 2000))
                .isEqualTo(cached + 2000);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "cache_write"), cacheWrite + 3000))
                .isEqualTo(cacheWrite + 3000);
        // 12*3 + 2000*0.3 + 1000*3.75 + 2000*6 + 250*15 = 20,136 per 1M tokens = 0.020136 USD
        assertThat(proxy.awaitMetric("tollgate_cost_usd_total", Map.of("tenant", "acme", "model", MODEL), cost + 0.020136))
                .isCloseTo(cost + 0.020136, within(1e-12));
    }
}
