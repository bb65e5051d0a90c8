package dev.tollgate.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/** The socket transport: native epoll where the platform has it, NIO elsewhere. */
public record Transport(
        String name,
        Function<SelectStrategyFactory, IoHandlerFactory> ioHandlers,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> clientChannel,
        Class<? extends DatagramChannel> datagramChannel) {

    /** Epoll on Linux when the native library loads (set {@code -Dtollgate.transport=nio} to opt out). */
    public static Transport best() {
        boolean wantNio = "nio".equalsIgnoreCase(System.getProperty("tollgate.transport"));
        if (!wantNio && Epoll.isAvailable()) {
            return new Transport("epoll", strategies -> EpollIoHandler.newFactory(0, strategies),
                    EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
        }
        return nio();
    }

    public static Transport nio() {
        return new Transport("nio", strategies -> NioIoHandler.newFactory(SelectorProvider.provider(), strategies),
                NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);
    }

    /** Event loops that sleep as soon as they run out of work, as Netty's do by default. */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return newGroup(threads, threadFactory, 0);
    }

    /** Event loops that poll for up to {@code busyPollMicros} before they sleep: see {@link BusyPollStrategy}. */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory, long busyPollMicros) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlers.apply(BusyPollStrategy.factory(busyPollMicros)));
    }
}
