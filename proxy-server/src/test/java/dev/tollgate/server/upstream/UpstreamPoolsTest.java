package dev.tollgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.server.Transport;
import dev.tollgate.server.pipeline.UpstreamInitializer;
import dev.tollgate.server.route.Route;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UpstreamPoolsTest {

    static final Route OPENAI = new Route("/openai", ProviderKind.OPENAI, "127.0.0.1", 1, false, "127.0.0.1:1", "",
            null, null, true);
    static final Route ANTHROPIC = new Route("/anthropic", ProviderKind.ANTHROPIC, "127.0.0.1", 2, false, "127.0.0.1:2", "",
            null, null, true);

    static final Transport TRANSPORT = Transport.nio();
    static EventLoopGroup loops;

    final UpstreamPools pools = new UpstreamPools(TRANSPORT, new UpstreamInitializer.Factory(null, 1_000),
            DefaultAddressResolverGroup.INSTANCE, 1_000, 8, 2, WriteBufferWaterMark.DEFAULT);

    @BeforeAll
    static void startLoops() {
        loops = TRANSPORT.newGroup(2, Thread::new);
    }

    @AfterAll
    static void stopLoops() {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void oneLoopKeepsOnePoolPerRoute() throws Exception {
        EventLoop loop = loops.next();

        UpstreamPool first = poolOn(loop, OPENAI);

        assertThat(poolOn(loop, OPENAI)).isSameAs(first);
        assertThat(poolOn(loop, ANTHROPIC)).isNotSameAs(first).isSameAs(poolOn(loop, ANTHROPIC));
    }

    @Test
    void eachLoopHasItsOwnPools() throws Exception {
        EventLoop one = loops.next();
        EventLoop other = loops.next();
        assertThat(other).isNotSameAs(one);

        assertThat(poolOn(one, OPENAI)).isNotSameAs(poolOn(other, OPENAI));
    }

    private UpstreamPool poolOn(EventLoop loop, Route route) throws Exception {
        return loop.submit(() -> pools.pool(route, loop)).get(5, TimeUnit.SECONDS);
    }
}
