package dev.tollgate.server.upstream;

import dev.tollgate.server.Transport;
import dev.tollgate.server.pipeline.UpstreamInitializer;
import dev.tollgate.server.route.Route;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link UpstreamPool} per (route, event loop), made on first use. The map look-up is a
 * lock-free read after the first request of each pair.
 */
public final class UpstreamPools {

    private final Transport transport;
    private final UpstreamInitializer.Factory initializers;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final int connectTimeoutMillis;
    private final int maxConnectionsPerLoop;
    private final WriteBufferWaterMark waterMark;
    private final Map<PoolKey, UpstreamPool> pools = new ConcurrentHashMap<>();

    /**
     * @param maxConnectionsPerRoute the route's bound, shared out evenly across {@code loops} loops
     */
    public UpstreamPools(Transport transport, UpstreamInitializer.Factory initializers,
            AddressResolverGroup<InetSocketAddress> resolver, long connectTimeoutMillis, int maxConnectionsPerRoute,
            int loops, WriteBufferWaterMark waterMark) {
        this.transport = transport;
        this.initializers = initializers;
        this.resolver = resolver;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis);
        this.maxConnectionsPerLoop = Math.max(1, (maxConnectionsPerRoute + loops - 1) / loops);
        this.waterMark = waterMark;
    }

    public UpstreamPool pool(Route route, EventLoop loop) {
        return pools.computeIfAbsent(new PoolKey(route, loop), key -> newPool(route, loop));
    }

    private UpstreamPool newPool(Route route, EventLoop loop) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .handler(initializers.forRoute(route));
        // Waiters beyond this many fail fast with 502 rather than pile up without bound.
        return new UpstreamPool(route, loop, bootstrap, maxConnectionsPerLoop, 16 * maxConnectionsPerLoop);
    }

    private record PoolKey(Route route, EventLoop loop) {}
}
