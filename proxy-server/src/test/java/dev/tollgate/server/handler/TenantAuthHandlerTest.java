package dev.tollgate.server.handler;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.server.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantAuthHandlerTest {

    static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    final HandlerHarness harness = new HandlerHarness(1 << 20);

    @Test
    void unknownKeyGets401AndTheRequestIsReleased() {
        EmbeddedChannel channel = harness.channel();
        FullHttpRequest request = fullRequest("/openai/v1/chat/completions", CHAT, "Authorization", "Bearer tg-unknown-key");
        ByteBuf body = request.content();

        assertThat(channel.writeInbound(request)).as("a rejected request must not propagate").isFalse();

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(response.content().toString(UTF_8))
                .startsWith("{\"error\":{\"message\":").contains("\"code\":\"invalid_api_key\"").doesNotContain("tg-unknown-key");
        assertThat(response.headers().get("X-Tollgate-Request-Id")).isNotBlank();
        assertThat(HttpUtil.isKeepAlive(response)).as("the body was read whole, the connection can go on").isTrue();
        response.release();
        assertThat(body.refCnt()).as("handler consumed the request, so it releases it").isZero();
        assertThat(channel.isOpen()).isTrue();
        assertThat(harness.forwarded).isEmpty();

        ExchangeRecord record = harness.records.get(0);
        assertThat(record.statusCode()).isEqualTo(401);
        assertThat(record.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(record.tenant()).isEqualTo(TenantId.UNKNOWN);
        assertThat(Exchange.of(channel)).as("the exchange is detached once answered").isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void missingTenantOnAnAnthropicRouteGets401InAnthropicShape() {
        EmbeddedChannel channel = harness.channel();
        FullHttpRequest request = fullRequest("/anthropic/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5}",
                "anthropic-version", "2023-06-01");

        assertThat(channel.writeInbound(request)).isFalse();

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.content().toString(UTF_8)).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"");
        response.release();
        assertThat(request.refCnt()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theStreamedBodyOfARefusedRequestIsDiscardedAndTheNextRequestIsServed() {
        EmbeddedChannel channel = harness.channel();
        HttpRequest head = head("/openai/v1/chat/completions", CHAT.length(), "X-Tollgate-Tenant", "initech");
        List<HttpContent> parts = List.of(
                new DefaultHttpContent(Unpooled.copiedBuffer(CHAT.substring(0, 10), UTF_8)),
                new DefaultHttpContent(Unpooled.copiedBuffer(CHAT.substring(10, 30), UTF_8)),
                new DefaultLastHttpContent(Unpooled.copiedBuffer(CHAT.substring(30), UTF_8)));

        channel.writeInbound(head);
        parts.forEach(channel::writeInbound);

        FullHttpResponse refused = channel.readOutbound();
        assertThat(refused.status().code()).isEqualTo(401);
        refused.release();
        assertThat(parts).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(harness.forwarded).isEmpty();

        FullHttpRequest next = fullRequest("/openai/v1/chat/completions", CHAT, "X-Tollgate-Tenant", "globex");
        channel.writeInbound(next);
        assertThat(harness.forwarded).hasSize(1);
        assertThat(harness.forwarded.get(0).content().toString(UTF_8)).isEqualTo(CHAT);
        harness.releaseForwarded();
        assertThat(next.refCnt()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void aKnownVirtualKeyAdmitsTheRequestAndMarksTheCredentialForReplacement() {
        EmbeddedChannel channel = harness.channel();
        channel.writeInbound(fullRequest("/openai/v1/chat/completions", CHAT, "Authorization", "Bearer " + HandlerHarness.ACME_KEY));

        assertThat(harness.forwarded).hasSize(1);
        Exchange exchange = harness.forwarded.get(0).exchange();
        assertThat(exchange.tenant()).isEqualTo(TenantId.of("acme"));
        assertThat(exchange.credentialReplaced()).isTrue();
        assertThat(harness.records).as("nothing completed yet: the relay completes it").isEmpty();
        harness.releaseForwarded();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aTenantHeaderAdmitsTheRequestAndKeepsTheClientsCredential() {
        EmbeddedChannel channel = harness.channel();
        channel.writeInbound(fullRequest("/openai/v1/chat/completions", CHAT, "X-Tollgate-Tenant", "globex",
                "Authorization", "Bearer sk-client"));

        Exchange exchange = harness.forwarded.get(0).exchange();
        assertThat(exchange.tenant()).isEqualTo(TenantId.of("globex"));
        assertThat(exchange.credentialReplaced()).isFalse();
        harness.releaseForwarded();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    static FullHttpRequest fullRequest(String uri, String json, String... headers) {
        ByteBuf body = Unpooled.copiedBuffer(json, UTF_8);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri, body);
        request.headers().set("Content-Type", "application/json").setInt("Content-Length", body.readableBytes());
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    static HttpRequest head(String uri, long contentLength, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        request.headers().set("Content-Type", "application/json");
        if (contentLength >= 0) {
            request.headers().set("Content-Length", contentLength);
        } else {
            HttpUtil.setTransferEncodingChunked(request, true);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }
}
