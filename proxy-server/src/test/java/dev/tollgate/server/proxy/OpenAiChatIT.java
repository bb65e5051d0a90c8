package dev.tollgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiChatIT {

    static final String CHAT_RESPONSE = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
                      "prompt_tokens_details":{"cached_tokens":200}}}""";

    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> Reply.json(CHAT_RESPONSE));
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void nonStreamingChatIsAttributedPricedAndExported() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
                "Authorization", "Bearer " + TollgateFixture.ACME_KEY,
                "X-Tollgate-Tags", "feature=search,team=core");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("chatcmpl-1");
        // gpt-4o-mini: input 0.15, cached 0.075, output 0.60 USD per 1M tokens.
        // 1000 x 0.15e-6 + 200 x 0.075e-6 + 300 x 0.6e-6 = 0.000345 USD
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000345000");
        assertThat(response.headers().firstValue("X-Tollgate-Request-Id")).isPresent();

        FakeUpstream.Recorded forwarded = upstream.lastRequest();
        assertThat(forwarded.uri()).isEqualTo("/v1/chat/completions");
        assertThat(forwarded.headers().get("Authorization")).isEqualTo("Bearer " + TollgateFixture.UPSTREAM_OPENAI_KEY);
        assertThat(forwarded.headers().names()).noneMatch(n -> n.toLowerCase().startsWith("x-tollgate"));

        Map<String, String> acme = Map.of("tenant", "acme", "provider", "openai", "model", "gpt-4o-mini-2024-07-18");
        assertThat(proxy.metric("tollgate_cost_usd_total", acme)).isEqualTo(0.000345);
        assertThat(proxy.metric("tollgate_tokens_total", with(acme, "token_type", "input"))).isEqualTo(1000);
        assertThat(proxy.metric("tollgate_tokens_total", with(acme, "token_type", "cached_input"))).isEqualTo(200);
        assertThat(proxy.metric("tollgate_tokens_total", with(acme, "token_type", "output"))).isEqualTo(300);
        assertThat(proxy.metric("tollgate_requests_total", with(acme, "code", "200"))).isGreaterThanOrEqualTo(1);
        assertThat(proxy.metric("tollgate_requests_total", with(acme, "feature", "search"))).isGreaterThanOrEqualTo(1);
    }

    static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> labels = new java.util.HashMap<>(base);
        labels.put(key, value);
        return labels;
    }
}
