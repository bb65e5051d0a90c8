package dev.tollgate.server.handler;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * A check made on a request's head. When the check refuses the request, it has already answered;
 * this base class then drops (and releases) the rest of that request's body so nothing behind it
 * sees a headless body.
 */
abstract class RequestGateHandler extends ChannelInboundHandlerAdapter {

    private boolean discarding;

    /**
     * Checks a request head. Returns true to let it through; false after answering it (the head is
     * released by this base class).
     */
    protected abstract boolean admit(ChannelHandlerContext ctx, HttpRequest request);

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            discarding = false;
            boolean admitted;
            try {
                admitted = admit(ctx, request);
            } catch (RuntimeException e) {
                ReferenceCountUtil.release(msg);
                throw e;
            }
            if (!admitted) {
                discarding = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                return;
            }
        } else if (discarding && msg instanceof HttpContent) {
            discarding = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
