package dev.tollgate.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Owns the listeners: binds the proxy and admin sockets on the given event-loop groups and closes
 * them. Holds no request logic; the initializers it is given build each connection's pipeline.
 */
public final class ProxyServer implements AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final WriteBufferWaterMark waterMark;
    private Channel proxyChannel;
    private Channel adminChannel;

    public ProxyServer(Transport transport, EventLoopGroup acceptors, EventLoopGroup workers, WriteBufferWaterMark waterMark) {
        this.transport = transport;
        this.acceptors = acceptors;
        this.workers = workers;
        this.waterMark = waterMark;
    }

    /** Binds both listeners; blocks until bound (start-up, not the request path). */
    public void start(String bind, int port, ChannelHandler proxyInitializer, String adminBind, int adminPort,
            ChannelHandler adminInitializer) throws InterruptedException {
        proxyChannel = bootstrap(proxyInitializer).bind(bind, port).sync().channel();
        adminChannel = bootstrap(adminInitializer).bind(adminBind, adminPort).sync().channel();
    }

    public InetSocketAddress proxyAddress() {
        return (InetSocketAddress) proxyChannel.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return (InetSocketAddress) adminChannel.localAddress();
    }

    public boolean isAccepting() {
        return proxyChannel != null && proxyChannel.isActive();
    }

    /** Blocks until the proxy listener closes (the {@code serve} command's main thread waits here). */
    public void awaitClose() throws InterruptedException {
        proxyChannel.closeFuture().await();
    }

    /** Closes the proxy listener: no new connections; those open keep being served. */
    public void stopAccepting() throws InterruptedException {
        if (proxyChannel != null) {
            proxyChannel.close().sync();
        }
    }

    /** Stops accepting, then shuts the event loops down, letting queued work finish. */
    @Override
    public void close() throws InterruptedException {
        stopAccepting();
        if (adminChannel != null) {
            adminChannel.close().sync();
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        awaitCurrentPasses();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    /**
     * Lets each worker loop finish the pass it is in, and the tasks queued by it. A response completed
     * in that pass may still wait for its flush at the pass's end ({@code PassFlush}), and a loop
     * told to shut down closes its channels before it runs its tasks.
     */
    private void awaitCurrentPasses() throws InterruptedException {
        for (EventExecutor loop : workers) {
            loop.submit(() -> {}).await(1, TimeUnit.SECONDS);
        }
    }

    private ServerBootstrap bootstrap(ChannelHandler initializer) {
        return new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .childHandler(initializer);
    }
}
