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

/** The proxy's own refusals, in each provider's error shape, counted and never forwarded. */
class RejectionsIT {

    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> request.uri().contains("slow")
                ? Reply.json("{}").stalling(5_000)
                : request.uri().contains("unhurried")
                ? Reply.json("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}").stalling(600)
                : Reply.json("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}"));
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void missingTenantGets401InOpenAiShape() throws Exception {
        int forwardedBefore = upstream.requests().size();
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).startsWith("{\"error\":{\"message\":").contains("\"code\":\"invalid_api_key\"");
        assertThat(upstream.requests()).hasSize(forwardedBefore);
        assertThat(proxy.metric("tollgate_requests_rejected_total", Map.of("tenant", "unknown", "reason", "auth")))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void unknownVirtualKeyGets401InAnthropicShapeAndIsNeverForwarded() throws Exception {
        int forwardedBefore = upstream.requests().size();
        HttpResponse<String> response = proxy.post("/anthropic/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                "x-api-key", "tg-not-a-real-key", "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"");
        assertThat(response.body()).doesNotContain("tg-not-a-real-key");
        assertThat(upstream.requests()).hasSize(forwardedBefore);
    }

    @Test
    void tenantHeaderCannotOverrideAVirtualKey() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                "Authorization", "Bearer " + TollgateFixture.ACME_KEY, "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(proxy.metric("tollgate_requests_total", Map.of("tenant", "acme", "code", "200"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void invalidJsonGets400BeforeTheUpstream() throws Exception {
        int forwardedBefore = upstream.requests().size();
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions", "{\"model\": \"gpt-4o\", ",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"type\":\"invalid_request_error\"");
        assertThat(upstream.requests()).hasSize(forwardedBefore);
    }

    @Test
    void unknownRouteGets404() throws Exception {
        HttpResponse<String> response = proxy.get("/nowhere/v1/models");
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void silentUpstreamGets504() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/slow/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"code\":\"upstream_timeout\"");
    }

    @Test
    void aReusedUpstreamConnectionGetsTheWholeIdleTimeout() throws Exception {
        assertThat(proxy.post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                "X-Tollgate-Tenant", "globex").statusCode()).isEqualTo(200);
        Thread.sleep(1_100); // the pooled connection is now most of the 1.5 s idle timeout past its last byte

        HttpResponse<String> response = proxy.post("/openai/v1/unhurried/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).as("600 ms of silence after the request is within the timeout").isEqualTo(200);
    }

    @Test
    void otherPathsPassThroughAndCountAsRequests() throws Exception {
        HttpResponse<String> response = proxy.get("/openai/v1/models", "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.lastRequest().method()).isEqualTo("GET");
        assertThat(upstream.lastRequest().uri()).isEqualTo("/v1/models");
    }
}
