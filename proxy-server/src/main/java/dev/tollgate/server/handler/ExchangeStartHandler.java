package dev.tollgate.server.handler;

import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.tenant.AttributionTags;
import dev.tollgate.server.exchange.Exchange;
import dev.tollgate.server.exchange.RequestIds;
import dev.tollgate.server.http.ProxyError;
import dev.tollgate.server.http.TollgateHeaders;
import dev.tollgate.server.route.Route;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Instant;

/**
 * Starts an {@link Exchange} for each request head: finds its route and endpoint, gives it an id and
 * reads its attribution tags. Heads the proxy cannot serve (undecodable, ambiguous framing, no
 * route) are answered here.
 */
public final class ExchangeStartHandler extends RequestGateHandler {

    private final ProxyContext proxy;

    public ExchangeStartHandler(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    protected boolean admit(ChannelHandlerContext ctx, HttpRequest request) {
        long startNanos = proxy.nanoTime().getAsLong();
        if (request.decoderResult().isFailure()) {
            proxy.metrics().unroutedRequest(ProxyError.BAD_REQUEST.status().code());
            Rejections.send(ctx, proxy, null, ProxyError.BAD_REQUEST, "Malformed HTTP request.", Outcome.REJECTED, false, -1);
            return false;
        }
        if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && HttpUtil.isTransferEncodingChunked(request)) {
            // Both framings at once is how requests are smuggled past proxies: refuse, and close.
            proxy.metrics().unroutedRequest(ProxyError.BAD_REQUEST.status().code());
            Rejections.send(ctx, proxy, null, ProxyError.BAD_REQUEST,
                    "Content-Length and Transfer-Encoding must not both be present.", Outcome.REJECTED, false, -1);
            return false;
        }
        String target = request.uri();
        Route route = proxy.routes().get().match(target);
        if (route == null) {
            proxy.metrics().unroutedRequest(ProxyError.NOT_FOUND.status().code());
            Rejections.send(ctx, proxy, null, ProxyError.NOT_FOUND,
                    "No Tollgate route matches this path. Use a configured prefix, e.g. /openai/v1.", Outcome.REJECTED,
                    HttpUtil.isKeepAlive(request), -1);
            return false;
        }
        Endpoint endpoint = Endpoint.classify(route.provider(), route.pathAfterPrefix(pathOf(target)));
        String clientId = request.headers().get(TollgateHeaders.REQUEST_ID);
        Instant now = proxy.clock().instant();
        String id = clientId != null && RequestIds.isValid(clientId) ? clientId : RequestIds.next(now.toEpochMilli());

        Exchange exchange = new Exchange(id, now, startNanos, route, endpoint, HttpUtil.isKeepAlive(request));
        exchange.tags(AttributionTags.parse(request.headers().get(TollgateHeaders.TAGS)));
        exchange.attachTo(ctx.channel());
        proxy.metrics().exchangeStarted(route);
        return true;
    }

    private static String pathOf(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }
}
