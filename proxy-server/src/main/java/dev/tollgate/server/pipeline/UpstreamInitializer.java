package dev.tollgate.server.pipeline;

import dev.tollgate.server.route.Route;
import dev.tollgate.server.upstream.UpstreamHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The upstream connection's pipeline:
 *
 * <pre>
 * [tls] -> http-codec -> upstream-idle -> upstream (hands messages to the bound exchange)
 * </pre>
 *
 * No aggregator and no decompressor: response bodies stream through as they arrive.
 */
public final class UpstreamInitializer extends ChannelInitializer<Channel> {

    private final Route route;
    private final @Nullable SslContext sslContext;
    private final long idleTimeoutMillis;

    UpstreamInitializer(Route route, @Nullable SslContext sslContext, long idleTimeoutMillis) {
        this.route = route;
        this.sslContext = sslContext;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (route.tls()) {
            if (sslContext == null) {
                throw new IllegalStateException("route " + route.prefix() + " needs TLS but no client SslContext was given");
            }
            p.addLast(HandlerNames.TLS, sslContext.newHandler(ch.alloc(), route.host(), route.port()));
        }
        p.addLast(HandlerNames.HTTP_CODEC, new HttpClientCodec(4096, 64 * 1024, 64 * 1024));
        // All-idle, not reader-idle: writing a request restarts the clock. A pooled connection's reader-idle
        // clock runs from its last response, so reusing it just before that deadline gave a spurious 504.
        p.addLast(HandlerNames.UPSTREAM_IDLE, new IdleStateHandler(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS));
        p.addLast(HandlerNames.UPSTREAM, new UpstreamHandler());
    }

    /** Makes one initializer per route; shares the client TLS context. */
    public record Factory(@Nullable SslContext sslContext, long idleTimeoutMillis) {
        public UpstreamInitializer forRoute(Route route) {
            return new UpstreamInitializer(route, sslContext, idleTimeoutMillis);
        }
    }
}
