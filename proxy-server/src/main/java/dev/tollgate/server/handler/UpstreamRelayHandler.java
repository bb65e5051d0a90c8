package dev.tollgate.server.handler;

import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.server.exchange.Exchange;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the client pipeline: starts a {@link ResponseRelay} for each whole request and tells
 * it when the client goes away or can take more bytes.
 */
public final class UpstreamRelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UpstreamRelayHandler.class);

    private final ProxyContext proxy;
    private @Nullable ResponseRelay relay;

    public UpstreamRelayHandler(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ProxyRequest request) {
            ResponseRelay started = new ResponseRelay(ctx, proxy, request, () -> relay = null);
            relay = started;
            started.start();
        } else {
            ReferenceCountUtil.release(msg); // nothing else reaches the end of the pipeline
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (relay != null) {
            relay.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (relay != null) {
            relay.onClientClosed();
        } else {
            // Gone before the request was whole: still one request, recorded once.
            Exchange unfinished = Exchange.of(ctx.channel());
            if (unfinished != null) {
                proxy.completer().complete(unfinished, ctx.executor(), Outcome.CLIENT_ABORTED, ResponseRelay.NO_RESPONSE,
                        null, null);
                Exchange.detach(ctx.channel(), unfinished);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Client connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("Unexpected error on client connection {}", ctx.channel(), cause);
        }
        ctx.close();
    }
}
