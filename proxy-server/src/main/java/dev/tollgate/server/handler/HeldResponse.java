package dev.tollgate.server.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * A non-streaming response held back so that its head can carry {@code X-Tollgate-Cost-USD}, known
 * only once the body's usage is read. Holding is bounded: past {@link #LIMIT_BYTES} the head goes
 * out without the cost header and the rest streams, so a huge body is never held whole.
 */
final class HeldResponse {

    /** Typical chat and embedding responses are far smaller; this only caps the unusual. */
    static final int LIMIT_BYTES = 1 << 20;

    private final HttpResponse head;
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private long heldBytes;

    HeldResponse(HttpResponse head) {
        this.head = head;
    }

    /** Takes ownership of {@code chunk}; returns false once the limit is passed. */
    boolean add(ByteBuf chunk) {
        chunks.add(chunk);
        heldBytes += chunk.readableBytes();
        return heldBytes <= LIMIT_BYTES;
    }

    HttpResponse head() {
        return head;
    }

    /** Writes the head and everything held, without flushing; the caller streams the rest. */
    void writeHeld(ChannelHandlerContext ctx) {
        ctx.write(head);
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            ctx.write(new DefaultHttpContent(chunk));
        }
    }

    /** Writes the whole response, flushed at the end of the loop's pass. */
    void writeAll(ChannelHandlerContext ctx) {
        if (chunks.size() == 1) {
            // The usual small body: one message, one trip through the pipeline and the encoder.
            ctx.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), chunks.poll(),
                    head.headers(), EmptyHttpHeaders.INSTANCE));
        } else {
            writeHeld(ctx);
            ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        PassFlush.flushAfterPass(ctx.channel());
    }

    void release() {
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            chunk.release();
        }
    }
}
