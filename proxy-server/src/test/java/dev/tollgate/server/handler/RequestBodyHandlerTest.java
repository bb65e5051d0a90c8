package dev.tollgate.server.handler;

import static dev.tollgate.server.handler.TenantAuthHandlerTest.fullRequest;
import static dev.tollgate.server.handler.TenantAuthHandlerTest.head;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBodyHandlerTest {

    static final int LIMIT = 100;
    static final String TENANT = "X-Tollgate-Tenant";

    final HandlerHarness harness = new HandlerHarness(LIMIT);

    @Test
    void aDeclaredLengthOverTheLimitGets413BeforeTheBodyIsRead() {
        EmbeddedChannel channel = harness.channel();
        List<HttpContent> parts = parts("x".repeat(60), "y".repeat(60));

        List<Object> inbound = new ArrayList<>();
        inbound.add(head("/openai/v1/chat/completions", LIMIT + 20, TENANT, "globex"));
        inbound.addAll(parts);
        channel.writeInbound(inbound.toArray());

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(413);
        assertThat(response.content().toString(UTF_8)).contains("\"code\":\"request_too_large\"");
        assertThat(HttpUtil.isKeepAlive(response)).as("the unread body makes the connection unusable").isFalse();
        response.release();
        assertThat(channel.isOpen()).as("closed once the 413 is written").isFalse();
        assertThat(parts).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(harness.forwarded).isEmpty();
        assertRejected(413);
        channel.finishAndReleaseAll();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void aStreamedBodyThatOutgrowsTheLimitGets413AndWhatWasHeldIsReleased() {
        EmbeddedChannel channel = harness.channel();
        List<HttpContent> parts = parts("{\"model\":\"gpt-4o\",\"messages\":[", "x".repeat(50), "y".repeat(50), "]}");

        List<Object> inbound = new ArrayList<>();
        inbound.add(head("/openai/v1/chat/completions", -1, TENANT, "globex"));
        inbound.addAll(parts);
        channel.writeInbound(inbound.toArray());

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(413);
        assertThat(HttpUtil.isKeepAlive(response)).isFalse();
        response.release();
        assertThat(parts).as("held, refused and later chunks alike").allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(harness.forwarded).isEmpty();
        assertRejected(413);
        channel.finishAndReleaseAll();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void aBodyOfExactlyTheLimitIsForwardedWhole() {
        EmbeddedChannel channel = harness.channel();
        String json = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "z".repeat(LIMIT - 60) + "\"}]}";
        assertThat(json).hasSize(LIMIT);
        List<HttpContent> parts = parts(json.substring(0, 33), json.substring(33, 34), json.substring(34));

        List<Object> inbound = new ArrayList<>();
        inbound.add(head("/openai/v1/chat/completions", -1, TENANT, "globex"));
        inbound.addAll(parts);
        channel.writeInbound(inbound.toArray());

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(harness.forwarded).hasSize(1);
        ProxyRequest request = harness.forwarded.get(0);
        assertThat(request.content().toString(UTF_8)).isEqualTo(json);
        assertThat(request.exchange().modelRequested()).isEqualTo("gpt-4o");
        assertThat(request.exchange().stream()).isFalse();
        harness.releaseForwarded();
        assertThat(parts).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void aChatStreamGetsIncludeUsageSplicedIn() {
        EmbeddedChannel channel = harness.channel();
        List<HttpContent> parts = parts("{\"model\":\"gpt-4o\",\"str", "eam\":true,\"messages\":[]}");

        List<Object> inbound = new ArrayList<>();
        inbound.add(head("/openai/v1/chat/completions", -1, TENANT, "globex"));
        inbound.addAll(parts);
        channel.writeInbound(inbound.toArray());

        ProxyRequest request = harness.forwarded.get(0);
        assertThat(request.content().toString(UTF_8))
                .isEqualTo("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":true}}");
        assertThat(request.exchange().stream()).isTrue();
        harness.releaseForwarded();
        assertThat(parts).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void malformedJsonGets400AndTheBodyIsReleased() {
        EmbeddedChannel channel = harness.channel();
        List<HttpContent> parts = parts("{\"model\": \"gpt-4o\", ", "\"messages\": [");

        List<Object> inbound = new ArrayList<>();
        inbound.add(head("/openai/v1/chat/completions", -1, TENANT, "globex"));
        inbound.addAll(parts);
        channel.writeInbound(inbound.toArray());

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(400);
        assertThat(response.content().toString(UTF_8)).contains("\"type\":\"invalid_request_error\"");
        assertThat(HttpUtil.isKeepAlive(response)).as("the body was read whole").isTrue();
        response.release();
        assertThat(channel.isOpen()).isTrue();
        assertThat(parts).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(harness.forwarded).isEmpty();
        assertRejected(400);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void anAnthropicBodyThatIsNotAnObjectGets400InAnthropicShape() {
        EmbeddedChannel channel = harness.channel();
        FullHttpRequest request = fullRequest("/anthropic/v1/messages", "[1,2,3]", TENANT, "globex");

        channel.writeInbound(request);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(400);
        assertThat(response.content().toString(UTF_8)).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"");
        response.release();
        assertThat(request.refCnt()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aBodylessGetOnAnUnmeteredPathIsForwarded() {
        EmbeddedChannel channel = harness.channel();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/openai/v1/models");
        request.headers().set(TENANT, "globex");

        channel.writeInbound(request);

        assertThat(harness.forwarded).hasSize(1);
        assertThat(harness.forwarded.get(0).content().readableBytes()).isZero();
        assertThat(harness.forwarded.get(0).exchange().facts()).isNull();
        harness.releaseForwarded();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    @Test
    void aClientThatHangsUpMidBodyLeavesNothingHeld() {
        EmbeddedChannel channel = harness.channel();
        List<HttpContent> parts = List.of(new DefaultHttpContent(Unpooled.copiedBuffer("{\"model\":\"gpt-4o\",", UTF_8)),
                new DefaultHttpContent(Unpooled.copiedBuffer("\"messages\":[", UTF_8)));

        channel.writeInbound(head("/openai/v1/chat/completions", 80, TENANT, "globex"));
        channel.writeInbound(parts.get(0));
        channel.writeInbound(parts.get(1));
        channel.close();

        assertThat(parts).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(harness.forwarded).isEmpty();
        assertThat(harness.alloc.unreleased()).isEmpty();
        assertThat((Object) channel.readOutbound()).as("nobody to answer").isNull();
    }

    @Test
    void twoRequestsInARowOnOneConnectionAreEachForwarded() {
        EmbeddedChannel channel = harness.channel();
        channel.writeInbound(fullRequest("/openai/v1/chat/completions", "{\"model\":\"a\",\"messages\":[]}", TENANT, "globex"));
        channel.writeInbound(fullRequest("/openai/v1/embeddings", "{\"model\":\"b\",\"input\":\"x\"}", TENANT, "globex"));

        assertThat(harness.forwarded).extracting(r -> r.exchange().modelRequested()).containsExactly("a", "b");
        harness.releaseForwarded();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(harness.alloc.unreleased()).isEmpty();
    }

    private void assertRejected(int status) {
        assertThat(harness.records).hasSize(1);
        ExchangeRecord record = harness.records.get(0);
        assertThat(record.statusCode()).isEqualTo(status);
        assertThat(record.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(record.tenant().value()).isEqualTo("globex");
    }

    private static List<HttpContent> parts(String... pieces) {
        List<HttpContent> parts = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            var bytes = Unpooled.copiedBuffer(pieces[i], UTF_8);
            parts.add(i == pieces.length - 1 ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes));
        }
        return parts;
    }
}
