package dev.tollgate.server.handler;

import static dev.tollgate.server.handler.TenantAuthHandlerTest.fullRequest;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.server.route.Route;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangeStartHandlerTest {

    static final Route ROOT = HandlerHarness.route("/", ProviderKind.OLLAMA);

    @Test
    void endpointsAreClassifiedAfterTheRoutePrefix() {
        HandlerHarness harness = new HandlerHarness(1 << 20, List.of(HandlerHarness.OPENAI, ROOT));
        EmbeddedChannel channel = harness.channel();

        channel.writeInbound(fullRequest("/openai/v1/chat/completions?x=1", "{\"model\":\"gpt-4o\"}", "X-Tollgate-Tenant", "globex"));
        channel.writeInbound(fullRequest("/api/chat", "{\"model\":\"llama3.2\"}", "X-Tollgate-Tenant", "globex"));
        channel.writeInbound(fullRequest("/api/generate", "{\"model\":\"llama3.2\"}", "X-Tollgate-Tenant", "globex"));
        channel.writeInbound(fullRequest("/v1/embeddings", "{\"model\":\"nomic-embed-text\"}", "X-Tollgate-Tenant", "globex"));

        assertThat(harness.forwarded).extracting(r -> r.exchange().route().prefix())
                .containsExactly("/openai", "/", "/", "/");
        assertThat(harness.forwarded).extracting(r -> r.exchange().endpoint())
                .containsExactly(Endpoint.CHAT_COMPLETIONS, Endpoint.OLLAMA_CHAT, Endpoint.OLLAMA_GENERATE, Endpoint.EMBEDDINGS);
        harness.releaseForwarded();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aPathNoRouteTakesGets404AndIsReleased() {
        HandlerHarness harness = new HandlerHarness(1 << 20);
        EmbeddedChannel channel = harness.channel();
        FullHttpRequest request = fullRequest("/nowhere/v1/chat/completions", "{}", "X-Tollgate-Tenant", "globex");

        assertThat(channel.writeInbound(request)).isFalse();

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(404);
        assertThat(response.content().toString(UTF_8)).contains("\"code\":\"unknown_route\"");
        response.release();
        assertThat(request.refCnt()).isZero();
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aClientRequestIdIsKeptOnlyWhenValid() {
        HandlerHarness harness = new HandlerHarness(1 << 20);
        EmbeddedChannel channel = harness.channel();

        channel.writeInbound(fullRequest("/openai/v1/chat/completions", "{\"model\":\"a\"}", "X-Tollgate-Tenant", "globex",
                "X-Tollgate-Request-Id", "01JD5Z9X8K3M4N5P6Q7R8S9T0V"));
        channel.writeInbound(fullRequest("/openai/v1/chat/completions", "{\"model\":\"b\"}", "X-Tollgate-Tenant", "globex",
                "X-Tollgate-Request-Id", "not-an-id"));

        assertThat(harness.forwarded.get(0).exchange().id()).isEqualTo("01JD5Z9X8K3M4N5P6Q7R8S9T0V");
        assertThat(harness.forwarded.get(1).exchange().id()).isNotEqualTo("not-an-id").hasSize(26);
        harness.releaseForwarded();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
