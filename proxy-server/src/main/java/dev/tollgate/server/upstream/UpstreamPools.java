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
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link UpstreamPool} per (route, event loop), made on first use. Each loop keeps its own pools
 * in a map that only its thread touches, keyed by the route's identity: finding a request's pool takes
 * no lock, allocates nothing, and does not hash the route's fields (a record's hash covers all of them).
 * Identity is right because routes are built once at start-up and never replaced: a reload leaves the
 * routes section to a restart ({@code ConfigReloader}), so the route table keeps the same objects.
 */
public final class UpstreamPools {

    private final Transport transport;
    private final UpstreamInitializer.Factory initializers;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final int connectTimeoutMillis;
    private final int maxConnectionsPerLoop;
    private final WriteBufferWaterMark waterMark;
    private final Map<EventLoop, Map<Route, UpstreamPool>> poolsByLoop = new ConcurrentHashMap<>();

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

    /** The pool of {@code route} on {@code loop}; call it on that loop, which owns the pool. */
    public UpstreamPool pool(Route route, EventLoop loop) {
        assert loop.inEventLoop();
        Map<Route, UpstreamPool> pools = poolsByLoop.get(loop);
        if (pools == null) {
            pools = poolsByLoop.computeIfAbsent(loop, l -> new IdentityHashMap<>());
        }
        UpstreamPool pool = pools.get(route);
        if (pool == null) {
            pool = newPool(route, loop);
            pools.put(route, pool); // no race: only this loop's thread reads or writes its map
        }
        return pool;
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
}
