package dev.tollgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

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

/** OpenAI chat streams: include_usage injected when missing, the usage-only chunk hidden again. */
class OpenAiStreamIT {

    static final String CHUNKS = """
            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Héllo"},"finish_reason":null}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

            """;
    static final String USAGE_CHUNK = """
            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":7,"total_tokens":57}}

            """;
    static final String DONE = "data: [DONE]\n\n";

    static FakeUpstream upstream;
    static TollgateFixture proxy;
    static final Random random = new Random(42);

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            boolean usage = request.body().contains("\"include_usage\":true");
            return Reply.sse(CHUNKS + (usage ? USAGE_CHUNK : "") + DONE).fragmented(random, 40);
        });
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @RepeatedTest(5)
    void injectedUsageIsCountedAndHiddenFromTheClient() throws Exception {
        double before = tokens("output");
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CHUNKS + DONE);
        assertThat(upstream.lastRequest().body())
                .isEqualTo("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"
                        + ",\"stream_options\":{\"include_usage\":true}}");
        assertThat(awaitTokens("output", before + 7)).isEqualTo(before + 7);
    }

    @Test
    void clientThatAskedForUsageSeesItUntouched() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.body()).isEqualTo(CHUNKS + USAGE_CHUNK + DONE);
        assertThat(upstream.lastRequest().body()).doesNotContain("include_usage\":true,");
    }

    private static double tokens(String type) throws Exception {
        return TollgateFixture.MetricsText.value(proxy.scrape(), "tollgate_tokens_total",
                Map.of("tenant", "globex", "model", "gpt-4o-2024-08-06", "token_type", type));
    }

    private static double awaitTokens(String type, double expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        double value = tokens(type);
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = tokens(type);
        }
        return value;
    }
}
