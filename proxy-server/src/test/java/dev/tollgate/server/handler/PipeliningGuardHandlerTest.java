package dev.tollgate.server.handler;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipeliningGuardHandlerTest {

    final List<Object> passed = new ArrayList<>();

    @Test
    void aQueuedRequestIsReleasedWholeHeadAndBodyOnceTheResponseEnds() {
        EmbeddedChannel channel = channel();
        HttpRequest first = request("/first");
        HttpRequest second = request("/second");
        HttpRequest third = request("/third");
        HttpContent secondBody = new DefaultHttpContent(Unpooled.copiedBuffer("{\"a\":", UTF_8));
        LastHttpContent secondEnd = new DefaultLastHttpContent(Unpooled.copiedBuffer("1}", UTF_8));

        channel.writeInbound(first, LastHttpContent.EMPTY_LAST_CONTENT, second, secondBody, secondEnd, third,
                LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(passed).containsExactly(first, LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.config().isAutoRead()).as("no more reading while requests wait").isFalse();

        respond(channel);
        assertThat(passed).as("the second request, body included, and nothing of the third")
                .containsExactly(first, LastHttpContent.EMPTY_LAST_CONTENT, second, secondBody, secondEnd);
        assertThat(channel.config().isAutoRead()).isFalse();

        respond(channel);
        assertThat(passed).hasSize(7).endsWith(third, LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.config().isAutoRead()).as("reading resumes when nothing waits").isTrue();

        passed.forEach(ReferenceCountUtil::release);
        assertThat(channel.finishAndReleaseAll()).isTrue(); // the responses written
    }

    @Test
    void queuedMessagesAreReleasedWhenTheClientGoes() {
        EmbeddedChannel channel = channel();
        HttpContent queuedBody = new DefaultLastHttpContent(Unpooled.copiedBuffer("{}", UTF_8));

        channel.writeInbound(request("/first"), request("/second"), queuedBody);
        channel.close();

        assertThat(queuedBody.refCnt()).isZero();
        passed.forEach(ReferenceCountUtil::release);
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new PipeliningGuardHandler(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passed.add(msg);
            }
        });
    }

    private static void respond(EmbeddedChannel channel) {
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK), LastHttpContent.EMPTY_LAST_CONTENT);
        channel.runPendingTasks();
    }

    private static HttpRequest request(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
    }
}
