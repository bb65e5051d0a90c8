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

/**
 * OpenAI's other metered endpoints (legacy completions, embeddings, the Responses API), streamed
 * and not, with the upstream's bytes cut at random points; costs checked against the catalog.
 */
class OpenAiEndpointsIT {

    static final String COMPLETION = """
            {"id":"cmpl-1","object":"text_completion","created":1589478378,"model":"gpt-3.5-turbo-instruct",
             "choices":[{"text":"\\n\\nThis is indeed a test","index":0,"logprobs":null,"finish_reason":"length"}],
             "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""";

    static final String COMPLETION_CHUNKS = """
            data: {"id":"cmpl-2","object":"text_completion","created":1741571000,"choices":[{"text":"Once","index":0,"logprobs":null,"finish_reason":null}],"model":"gpt-3.5-turbo-instruct","usage":null}

            data: {"id":"cmpl-2","object":"text_completion","created":1741571000,"choices":[{"text":" upon a time","index":0,"logprobs":null,"finish_reason":"length"}],"model":"gpt-3.5-turbo-instruct","usage":null}

            """;
    static final String COMPLETION_USAGE_CHUNK = """
            data: {"id":"cmpl-2","object":"text_completion","created":1741571000,"model":"gpt-3.5-turbo-instruct","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":4,"total_tokens":9}}

            """;

    static final String EMBEDDINGS = """
            {"object":"list","data":[
              {"object":"embedding","index":0,"embedding":[-0.006929283495992422,-0.005336422007530928,0.00047350498,1.0E-7]},
              {"object":"embedding","index":1,"embedding":[0.018,-0.0021,0.33,-3]}],
             "model":"text-embedding-3-small","usage":{"prompt_tokens":12345,"total_tokens":12345}}""";

    static final String RESPONSE = """
            {"id":"resp_1","object":"response","created_at":1741476542,"status":"completed","model":"gpt-4.1-2025-04-14",
             "output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant",
                        "content":[{"type":"output_text","text":"In a peaceful grove — a unicorn.","annotations":[]}]}],
             "usage":{"input_tokens":1500,"input_tokens_details":{"cached_tokens":500},
                      "output_tokens":300,"output_tokens_details":{"reasoning_tokens":100},"total_tokens":1800}}""";

    static final String RESPONSE_STREAM = """
            event: response.created
            data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_2","object":"response","status":"in_progress","model":"gpt-4.1-2025-04-14","output":[],"usage":null}}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_2","output_index":0,"content_index":0,"delta":"Hi there — ça va?"}

            event: response.output_text.done
            data: {"type":"response.output_text.done","sequence_number":2,"item_id":"msg_2","output_index":0,"content_index":0,"text":"Hi there — ça va?"}

            event: response.completed
            data: {"type":"response.completed","sequence_number":3,"response":{"id":"resp_2","object":"response","status":"completed","model":"gpt-4.1-2025-04-14","output":[{"type":"message","id":"msg_2","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi there — ça va?","annotations":[]}]}],"usage":{"input_tokens":40,"input_tokens_details":{"cached_tokens":0},"output_tokens":12,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":52}}}

            """;

    static final Random random = new Random(4242);
    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            boolean stream = request.body().contains("\"stream\":true");
            String uri = request.uri();
            if (uri.endsWith("/v1/completions")) {
                if (stream) {
                    boolean usage = request.body().contains("\"include_usage\":true");
                    return Reply.sse(COMPLETION_CHUNKS + (usage ? COMPLETION_USAGE_CHUNK : "") + "data: [DONE]\n\n")
                            .fragmented(random, 50);
                }
                return Reply.json(COMPLETION).fragmented(random, 30);
            }
            if (uri.endsWith("/v1/embeddings")) {
                return Reply.json(EMBEDDINGS).fragmented(random, 40);
            }
            if (uri.endsWith("/v1/responses")) {
                return stream ? Reply.sse(RESPONSE_STREAM).fragmented(random, 70) : Reply.json(RESPONSE).fragmented(random, 40);
            }
            return Reply.status(404, "application/json", "{\"error\":{\"message\":\"no such path\"}}");
        });
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @RepeatedTest(3)
    void legacyCompletion() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say this is a test\",\"max_tokens\":7}",
                "Authorization", "Bearer " + TollgateFixture.ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(COMPLETION);
        // gpt-3.5-turbo-instruct: input 1.5, output 2 per 1M. 5*1.5 + 7*2 = 21.5 per 1M = 0.000021500 USD
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000021500");
        assertThat(upstream.lastRequest().headers().get("Authorization")).isEqualTo("Bearer " + TollgateFixture.UPSTREAM_OPENAI_KEY);
    }

    @RepeatedTest(3)
    void streamedLegacyCompletionHidesTheInjectedUsageChunk() throws Exception {
        Map<String, String> labels = Map.of("tenant", "globex", "provider", "openai", "model", "gpt-3.5-turbo-instruct");
        double output = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"));
        double cost = proxy.metricNow("tollgate_cost_usd_total", labels);

        HttpResponse<String> response = proxy.post("/openai/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Once\",\"stream\":true}", "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(COMPLETION_CHUNKS + "data: [DONE]\n\n");
        assertThat(upstream.lastRequest().body()).endsWith(",\"stream_options\":{\"include_usage\":true}}");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), output + 4)).isEqualTo(output + 4);
        // 5*1.5 + 4*2 = 15.5 per 1M = 0.0000155 USD
        assertThat(proxy.awaitMetric("tollgate_cost_usd_total", labels, cost + 0.0000155)).isCloseTo(cost + 0.0000155, within(1e-12));
    }

    @RepeatedTest(3)
    void embeddings() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "openai", "model", "text-embedding-3-small");
        double input = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "input"));

        HttpResponse<String> response = proxy.post("/openai/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}", "Authorization", "Bearer " + TollgateFixture.ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(EMBEDDINGS);
        // text-embedding-3-small: input 0.02 per 1M. 12345*0.02 = 246.9 per 1M = 0.000246900 USD
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000246900");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "input"), input + 12345))
                .isEqualTo(input + 12345);
        assertThat(proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"))).isZero();
    }

    @RepeatedTest(3)
    void responsesApi() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "openai", "model", "gpt-4.1-2025-04-14");
        double cached = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "cached_input"));
        double input = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "input"));

        HttpResponse<String> response = proxy.post("/openai/v1/responses",
                "{\"model\":\"gpt-4.1\",\"input\":\"Tell me a story\"}", "Authorization", "Bearer " + TollgateFixture.ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(RESPONSE);
        // gpt-4.1: input 2, cached 0.5, output 8 per 1M. Input 1500 of which 500 cached; output 300 (reasoning inside).
        // 1000*2 + 500*0.5 + 300*8 = 4,650 per 1M = 0.004650000 USD
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.004650000");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "input"), input + 1000))
                .isEqualTo(input + 1000);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "cached_input"), cached + 500))
                .isEqualTo(cached + 500);
    }

    @RepeatedTest(3)
    void streamedResponsesApiIsCountedFromResponseCompleted() throws Exception {
        Map<String, String> labels = Map.of("tenant", "globex", "provider", "openai", "model", "gpt-4.1-2025-04-14");
        double input = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "input"));
        double output = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"));
        double cost = proxy.metricNow("tollgate_cost_usd_total", labels);

        HttpResponse<String> response = proxy.post("/openai/v1/responses",
                "{\"model\":\"gpt-4.1\",\"input\":\"Hi\",\"stream\":true}", "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(RESPONSE_STREAM);
        assertThat(upstream.lastRequest().body()).doesNotContain("stream_options");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), output + 12)).isEqualTo(output + 12);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "input"), input + 40)).isEqualTo(input + 40);
        // 40*2 + 12*8 = 176 per 1M = 0.000176 USD
        assertThat(proxy.awaitMetric("tollgate_cost_usd_total", labels, cost + 0.000176)).isCloseTo(cost + 0.000176, within(1e-12));
    }
}
