package dev.tollgate.server.pipeline;

import dev.tollgate.server.handler.BudgetGateHandler;
import dev.tollgate.server.handler.ClientTimeoutHandler;
import dev.tollgate.server.handler.ExchangeStartHandler;
import dev.tollgate.server.handler.PipeliningGuardHandler;
import dev.tollgate.server.handler.ProxyContext;
import dev.tollgate.server.handler.RequestBodyHandler;
import dev.tollgate.server.handler.TenantAuthHandler;
import dev.tollgate.server.handler.UpstreamRelayHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/**
 * The client-facing pipeline. A request flows down it; the response comes back from the upstream
 * connection, which {@code upstream-relay} drives on this channel's event loop:
 *
 * <pre>
 * client -> http-codec -> client-timeout -> keep-alive -> pipelining -> expect-continue
 *        -> exchange-start   route, endpoint, request id, tags      (404, 400)
 *        -> tenant-auth      virtual key or tenant header           (401)
 *        -> request-body     size limit, incremental inspection     (413, 400)
 *        -> budget-gate      holds the cost upper bound against     (429 + Retry-After,
 *                            the tenant's budgets                    400 unpriced_model)
 *        -> upstream-relay   pooled upstream connection; response relayed back
 *                            through a usage tap; exchange completed once, which
 *                            settles the budget hold with the actual cost
 * </pre>
 */
public final class ProxyServerInitializer extends ChannelInitializer<Channel> {

    /** Longest request line and header block accepted; longer ones get 400 from the codec. */
    static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
    static final int MAX_HEADER_BYTES = 32 * 1024;

    private final ProxyContext proxy;

    public ProxyServerInitializer(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 64 * 1024));
        p.addLast(HandlerNames.CLIENT_TIMEOUT, new ClientTimeoutHandler(proxy.clientIdleMillis(), proxy.clientBodyMillis()));
        p.addLast(HandlerNames.KEEP_ALIVE, new HttpServerKeepAliveHandler());
        p.addLast(HandlerNames.PIPELINING, new PipeliningGuardHandler());
        p.addLast("expect-continue", new HttpServerExpectContinueHandler());
        p.addLast(HandlerNames.EXCHANGE_START, new ExchangeStartHandler(proxy));
        p.addLast(HandlerNames.TENANT_AUTH, new TenantAuthHandler(proxy));
        p.addLast(HandlerNames.REQUEST_BODY, new RequestBodyHandler(proxy));
        p.addLast(HandlerNames.BUDGET_GATE, new BudgetGateHandler(proxy));
        p.addLast(HandlerNames.UPSTREAM_RELAY, new UpstreamRelayHandler(proxy));
    }
}
