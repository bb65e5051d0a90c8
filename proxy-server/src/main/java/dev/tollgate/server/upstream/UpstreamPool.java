package dev.tollgate.server.upstream;

import dev.tollgate.server.route.Route;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * Keep-alive connections from one event loop to one route's upstream. Every method runs on that
 * event loop, and every connection it makes uses that loop, so the pool needs no lock and a
 * connection's handlers share a thread with the client channel they serve.
 *
 * <p>At most {@code maxConnections} are open; further acquirers wait in line, up to
 * {@code maxWaiters}, then fail fast.
 */
public final class UpstreamPool {

    private final Route route;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int maxConnections;
    private final int maxWaiters;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<Channel>> waiters = new ArrayDeque<>();
    private int open;

    UpstreamPool(Route route, EventLoop loop, Bootstrap bootstrap, int maxConnections, int maxWaiters) {
        this.route = route;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.maxConnections = maxConnections;
        this.maxWaiters = maxWaiters;
    }

    /** A connection for one exchange, bound to {@code listener}; hand it back with {@link #release}. */
    public Future<Channel> acquire(UpstreamListener listener) {
        assert loop.inEventLoop();
        Promise<Channel> promise = loop.newPromise();
        promise.addListener(f -> {
            if (f.isSuccess()) {
                handler((Channel) f.getNow()).bind(listener);
            }
        });
        Channel reused = pollIdle();
        if (reused != null) {
            promise.setSuccess(reused);
        } else if (open < maxConnections) {
            connect(promise);
        } else if (waiters.size() < maxWaiters) {
            waiters.add(promise);
        } else {
            promise.setFailure(new RejectedExecutionException(
                    "upstream pool for " + route.prefix() + " is full: " + open + " connections, " + waiters.size() + " waiting"));
        }
        return promise;
    }

    /**
     * Returns a connection after its response ended. A connection that may not be reused (the
     * response was cut short or said {@code Connection: close}) is closed instead.
     */
    public void release(Channel channel, boolean reusable) {
        assert loop.inEventLoop();
        handler(channel).unbind();
        channel.config().setAutoRead(true); // an idle connection must notice the server closing it
        if (!reusable || !channel.isActive()) {
            channel.close();
            return;
        }
        Promise<Channel> waiter = waiters.poll();
        if (waiter != null) {
            waiter.setSuccess(channel);
        } else {
            idle.addLast(channel);
        }
    }

    /** Connections open now, idle or busy; for tests and diagnostics. */
    public int openConnections() {
        return open;
    }

    private Channel pollIdle() {
        Channel channel;
        // Most recently used first: it is the likeliest to still be open.
        while ((channel = idle.pollLast()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    private void connect(Promise<Channel> promise) {
        open++;
        ChannelFuture connect = bootstrap.connect(route.host(), route.port());
        Channel channel = connect.channel();
        channel.closeFuture().addListener(f -> onClosed(channel));
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(channel);
            } else {
                promise.tryFailure(f.cause());
            }
        });
    }

    private void onClosed(Channel channel) {
        open--;
        idle.remove(channel);
        Promise<Channel> waiter = waiters.poll();
        if (waiter != null) {
            connect(waiter);
        }
    }

    private static UpstreamHandler handler(Channel channel) {
        return channel.pipeline().get(UpstreamHandler.class);
    }
}
