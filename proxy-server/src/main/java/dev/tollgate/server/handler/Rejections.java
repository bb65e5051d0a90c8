package dev.tollgate.server.handler;

import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.server.exchange.Exchange;
import dev.tollgate.server.http.ProxyError;
import dev.tollgate.server.http.TollgateHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;

/**
 * Writes the proxy's own error responses in the route's provider shape and records them: every
 * refused request still counts once, with its status, and leaves a record. A budgeted tenant's
 * refusals carry {@code X-Tollgate-Budget-Remaining-USD}, as its other responses do.
 */
public final class Rejections {

    private Rejections() {}

    /**
     * Sends {@code error} and completes the exchange (if any) with {@code outcome}.
     *
     * @param keepAlive whether the connection may serve another request afterwards; false when the
     *                  rest of the request body will not be read
     * @param retryAfterSeconds a {@code Retry-After} value, or -1
     */
    public static void send(ChannelHandlerContext ctx, ProxyContext proxy, @Nullable Exchange exchange,
            ProxyError error, String message, Outcome outcome, boolean keepAlive, long retryAfterSeconds) {
        boolean anthropic = exchange != null && exchange.route().provider().usesAnthropicErrors();
        String body = anthropic ? error.anthropicBody(message) : error.openAiBody(message);
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, error.status(), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (retryAfterSeconds >= 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        if (exchange != null) {
            response.headers().set(TollgateHeaders.REQUEST_ID, exchange.id());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        if (exchange != null) {
            proxy.completer().complete(exchange, ctx.executor(), outcome, error.status().code(), null, null);
            Exchange.detach(ctx.channel(), exchange);
            BudgetGateHandler.setRemainingNow(response.headers(), proxy, exchange); // after the completion released any hold
        }
        var write = ctx.writeAndFlush(response);
        if (!keepAlive) {
            write.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
