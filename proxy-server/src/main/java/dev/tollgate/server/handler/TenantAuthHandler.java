package dev.tollgate.server.handler;

import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.server.exchange.Exchange;
import dev.tollgate.server.http.ProxyError;
import dev.tollgate.server.tenant.TenantResolver;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/** Resolves the paying tenant, or answers 401 in the route's provider shape. */
public final class TenantAuthHandler extends RequestGateHandler {

    private final ProxyContext proxy;

    public TenantAuthHandler(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    protected boolean admit(ChannelHandlerContext ctx, HttpRequest request) {
        Exchange exchange = Exchange.of(ctx.channel());
        if (exchange == null) {
            throw new IllegalStateException("no exchange on " + ctx.channel() + "; is ExchangeStartHandler in the pipeline?");
        }
        TenantResolver.Resolution resolution = proxy.tenants().get().resolve(request.headers());
        if (resolution.tenant() == null) {
            Rejections.send(ctx, proxy, exchange, ProxyError.UNAUTHORIZED, resolution.refusal(), Outcome.REJECTED,
                    exchange.clientKeepAlive(), -1);
            return false;
        }
        exchange.tenant(resolution.tenant());
        exchange.credentialReplaced(resolution.byVirtualKey());
        return true;
    }
}
