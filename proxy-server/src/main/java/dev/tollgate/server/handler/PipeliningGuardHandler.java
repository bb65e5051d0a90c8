package dev.tollgate.server.handler;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Serves one request at a time per connection. A pipelining client may send its next request
 * before the current response ends; those messages wait here, with reading paused, until the
 * response's last content is written. Reading stays on otherwise, so a client that hangs up
 * mid-stream is noticed at once.
 */
public final class PipeliningGuardHandler extends ChannelDuplexHandler {

    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private boolean requestInFlight;
    private boolean responseStarted;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && requestInFlight || !waiting.isEmpty()) {
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        if (msg instanceof HttpRequest) {
            requestInFlight = true;
            responseStarted = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse) {
            responseStarted = true;
        }
        boolean ends = responseStarted && msg instanceof LastHttpContent;
        ctx.write(msg, promise);
        if (ends) {
            requestInFlight = false;
            if (!waiting.isEmpty()) {
                // Let the response's last bytes go out before the next request starts.
                ctx.executor().execute(() -> drain(ctx));
            }
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = waiting.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }

    private void drain(ChannelHandlerContext ctx) {
        Object msg;
        // Forward the next request whole, head and body, and stop at the head of the one after it.
        while ((msg = waiting.peek()) != null && !(msg instanceof HttpRequest && requestInFlight)) {
            waiting.poll();
            if (msg instanceof HttpRequest) {
                requestInFlight = true;
                responseStarted = false;
            }
            ctx.fireChannelRead(msg);
        }
        if (waiting.isEmpty() && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }
}
