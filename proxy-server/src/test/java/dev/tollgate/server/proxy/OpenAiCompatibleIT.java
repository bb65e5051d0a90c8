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
 * An OpenAI-compatible server (an old vLLM or llama.cpp) that reports no usage, not even when asked
 * for it in a stream: Tollgate counts the tokens itself, marks them estimated, and prices them.
 */
class OpenAiCompatibleIT {

    // o200k_base (gpt-4o-mini's encoding): the prompt is 9 tokens, the answer 8 (counted with jtokkit by hand).
    static final String PROMPT = "Count the tokens of this prompt, please.";
    static final String ANSWER = "Sure: one, two, three.";

    static final String CHAT_WITHOUT_USAGE = """
            {"id":"cmpl-local-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Sure: one, two, three."},"finish_reason":"stop"}]}""";
    static final String STREAM_WITHOUT_USAGE = """
            data: {"id":"cmpl-local-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Sure: one,"},"finish_reason":null}]}

            data: {"id":"cmpl-local-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" two, three."},"finish_reason":null}]}

            data: {"id":"cmpl-local-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]

            """;
    static final String UNKNOWN_MODEL = """
            {"id":"cmpl-local-3","object":"chat.completion","created":1,"model":"acme-finetune-7b",
             "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}""";

    static final Random random = new Random(99);
    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            if (request.body().contains("acme-finetune")) {
                return Reply.json(UNKNOWN_MODEL);
            }
            return request.body().contains("\"stream\":true")
                    ? Reply.sse(STREAM_WITHOUT_USAGE).fragmented(random, 40)
                    : Reply.json(CHAT_WITHOUT_USAGE).fragmented(random, 30);
        });
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @RepeatedTest(3)
    void unreportedUsageIsEstimatedAndPriced() throws Exception {
        Map<String, String> estimated = Map.of("tenant", "globex", "provider", "openai-compatible", "model", "gpt-4o-mini",
                "source", "estimated");
        double input = proxy.metricNow("tollgate_tokens_total", with(estimated, "token_type", "input"));
        double output = proxy.metricNow("tollgate_tokens_total", with(estimated, "token_type", "output"));

        HttpResponse<String> response = proxy.post("/local/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CHAT_WITHOUT_USAGE);
        // gpt-4o-mini: input 0.15, output 0.6 per 1M. 9*0.15 + 8*0.6 = 6.15 per 1M = 0.000006150 USD
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000006150");
        assertThat(upstream.lastRequest().uri()).isEqualTo("/v1/chat/completions");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(estimated, "token_type", "input"), input + 9)).isEqualTo(input + 9);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(estimated, "token_type", "output"), output + 8))
                .isEqualTo(output + 8);
    }

    @RepeatedTest(3)
    void aStreamWithoutUsageIsEstimatedFromItsText() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "openai-compatible", "model", "gpt-4o-mini");
        Map<String, String> estimated = with(labels, "source", "estimated");
        double input = proxy.metricNow("tollgate_tokens_total", with(estimated, "token_type", "input"));
        double output = proxy.metricNow("tollgate_tokens_total", with(estimated, "token_type", "output"));
        double cost = proxy.metricNow("tollgate_cost_usd_total", labels);

        HttpResponse<String> response = proxy.post("/local/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}",
                "Authorization", "Bearer " + TollgateFixture.ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("nothing to hide: the server sent no usage chunk").isEqualTo(STREAM_WITHOUT_USAGE);
        assertThat(upstream.lastRequest().body()).contains("\"include_usage\":true");
        assertThat(upstream.lastRequest().headers().contains("Authorization")).as("no route key, virtual key dropped").isFalse();
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(estimated, "token_type", "output"), output + 8))
                .isEqualTo(output + 8);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(estimated, "token_type", "input"), input + 9)).isEqualTo(input + 9);
        assertThat(proxy.awaitMetric("tollgate_cost_usd_total", labels, cost + 0.00000615)).isCloseTo(cost + 0.00000615, within(1e-12));
        assertThat(proxy.metricNow("tollgate_tokens_total", with(labels, "source", "reported"))).isZero();
    }

    @Test
    void anUnknownModelIsCountedUnpricedAndCostsNothing() throws Exception {
        Map<String, String> unpriced = Map.of("provider", "openai-compatible", "model", "acme-finetune-7b");
        double before = proxy.metricNow("tollgate_unpriced_requests_total", unpriced);

        HttpResponse<String> response = proxy.post("/local/v1/chat/completions",
                "{\"model\":\"acme-finetune-7b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000000000");
        assertThat(proxy.awaitMetric("tollgate_unpriced_requests_total", unpriced, before + 1)).isEqualTo(before + 1);
        Map<String, String> tokens = Map.of("tenant", "globex", "model", "acme-finetune-7b", "source", "reported");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(tokens, "token_type", "input"), 10)).isEqualTo(10);
        assertThat(proxy.metricNow("tollgate_cost_usd_total", Map.of("model", "acme-finetune-7b"))).isZero();
    }
}
