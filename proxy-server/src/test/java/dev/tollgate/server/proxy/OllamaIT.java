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
 * Ollama's native API: NDJSON streams (the default when the request does not say "stream": false)
 * and single JSON bodies, with bytes cut at random points. llama3.2 is priced by a config override;
 * other local models have no price and are counted as unpriced.
 */
class OllamaIT {

    static final String CHAT_STREAM = """
            {"model":"llama3.2","created_at":"2025-01-10T12:00:00.000000Z","message":{"role":"assistant","content":"The"},"done":false}
            {"model":"llama3.2","created_at":"2025-01-10T12:00:00.050000Z","message":{"role":"assistant","content":" sky is blue — mostly"},"done":false}
            {"model":"llama3.2","created_at":"2025-01-10T12:00:00.120000Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}
            """;
    static final String CHAT = """
            {"model":"llama3.2","created_at":"2025-01-10T12:00:00Z","message":{"role":"assistant","content":"The sky is blue."},"done_reason":"stop","done":true,"total_duration":4883583458,"prompt_eval_count":26,"eval_count":282}""";
    static final String GENERATE_STREAM = """
            {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","response":"The","done":false}
            {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","response":" sky","done":false}
            {"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","response":"","done":true,"context":[1,2,3],"total_duration":10706818083,"prompt_eval_count":26,"eval_count":290}
            """;
    static final String GENERATE = """
            {"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","response":"The sky is blue because it is the color of the sky.","done":true,"context":[1,2,3],"total_duration":5043500667,"prompt_eval_count":26,"eval_count":290}""";
    static final String UNPRICED = """
            {"model":"qwen3:8b","created_at":"2025-01-10T12:00:00Z","message":{"role":"assistant","content":"Hi"},"done":true,"prompt_eval_count":10,"eval_count":3}""";

    static final Random random = new Random(31337);
    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            boolean stream = !request.body().contains("\"stream\":false");
            if (request.body().contains("qwen3")) {
                return Reply.json(UNPRICED);
            }
            if (request.uri().equals("/api/chat")) {
                return stream ? Reply.ndjson(CHAT_STREAM).fragmented(random, 40) : Reply.json(CHAT).fragmented(random, 30);
            }
            if (request.uri().equals("/api/generate")) {
                return stream ? Reply.ndjson(GENERATE_STREAM).fragmented(random, 40) : Reply.json(GENERATE).fragmented(random, 30);
            }
            return Reply.status(404, "text/plain", "404 page not found");
        });
        proxy = TollgateFixture.start(upstream, """
                pricing:
                  overrides:
                    - model: llama3.2
                      input: 0.1
                      output: 0.2
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @RepeatedTest(3)
    void chatStreamsByDefault() throws Exception {
        Map<String, String> labels = Map.of("tenant", "globex", "provider", "ollama", "model", "llama3.2");
        double input = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "input"));
        double output = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"));
        double cost = proxy.metricNow("tollgate_cost_usd_total", labels);

        HttpResponse<String> response = proxy.post("/ollama/api/chat",
                "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"why is the sky blue?\"}]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CHAT_STREAM);
        assertThat(upstream.lastRequest().uri()).isEqualTo("/api/chat");
        assertThat(upstream.lastRequest().headers().contains("Authorization")).as("the route has no key").isFalse();
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), output + 282))
                .isEqualTo(output + 282);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "input"), input + 26)).isEqualTo(input + 26);
        // Override: input 0.1, output 0.2 per 1M. 26*0.1 + 282*0.2 = 59 per 1M = 0.000059 USD
        assertThat(proxy.awaitMetric("tollgate_cost_usd_total", labels, cost + 0.000059)).isCloseTo(cost + 0.000059, within(1e-12));
    }

    @RepeatedTest(3)
    void chatWithoutStreaming() throws Exception {
        HttpResponse<String> response = proxy.post("/ollama/api/chat",
                "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"why?\"}]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CHAT);
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000059000");
    }

    @RepeatedTest(3)
    void generateStreams() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "ollama", "model", "llama3.2");
        double output = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"));
        double cost = proxy.metricNow("tollgate_cost_usd_total", labels);

        HttpResponse<String> response = proxy.post("/ollama/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"Why is the sky blue?\"}", "Authorization", "Bearer " + TollgateFixture.ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(GENERATE_STREAM);
        assertThat(upstream.lastRequest().headers().contains("Authorization")).as("the virtual key is not forwarded").isFalse();
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), output + 290))
                .isEqualTo(output + 290);
        // 26*0.1 + 290*0.2 = 60.6 per 1M = 0.0000606 USD
        assertThat(proxy.awaitMetric("tollgate_cost_usd_total", labels, cost + 0.0000606)).isCloseTo(cost + 0.0000606, within(1e-12));
    }

    @RepeatedTest(3)
    void generateWithoutStreaming() throws Exception {
        HttpResponse<String> response = proxy.post("/ollama/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"Why is the sky blue?\",\"stream\":false}", "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(GENERATE);
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000060600");
    }

    @Test
    void aModelWithoutAPriceCostsNothingAndIsCountedAsUnpriced() throws Exception {
        Map<String, String> unpriced = Map.of("provider", "ollama", "model", "qwen3:8b");
        double before = proxy.metricNow("tollgate_unpriced_requests_total", unpriced);

        HttpResponse<String> response = proxy.post("/ollama/api/chat",
                "{\"model\":\"qwen3:8b\",\"stream\":false,\"messages\":[]}", "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000000000");
        assertThat(proxy.awaitMetric("tollgate_unpriced_requests_total", unpriced, before + 1)).isEqualTo(before + 1);
        Map<String, String> tokens = Map.of("tenant", "globex", "provider", "ollama", "model", "qwen3:8b");
        assertThat(proxy.metricNow("tollgate_tokens_total", with(tokens, "token_type", "input"))).isGreaterThanOrEqualTo(10);
        assertThat(proxy.metricNow("tollgate_cost_usd_total", tokens)).isZero();
    }
}
