package dev.tollgate.server.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.util.function.Supplier;

/** The admin listener's pipeline: small, whole requests, so aggregating them is fine here. */
public final class AdminServerInitializer extends ChannelInitializer<Channel> {

    private final Supplier<AdminHandler> handlers;

    public AdminServerInitializer(Supplier<AdminHandler> handlers) {
        this.handlers = handlers;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerKeepAliveHandler())
                .addLast(new HttpObjectAggregator(1 << 20))
                .addLast(handlers.get());
    }
}
