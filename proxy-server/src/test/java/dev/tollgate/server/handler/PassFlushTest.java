package dev.tollgate.server.handler;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PassFlushTest {

    final EmbeddedChannel client = new EmbeddedChannel();
    final EmbeddedChannel upstream = new EmbeddedChannel();

    @AfterEach
    void releaseAll() {
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
    }

    @Test
    void nothingIsFlushedUntilTheLoopRunsItsTasks() {
        client.write(bytes("response"));
        PassFlush.flushAfterPass(client);

        assertThat(client.outboundMessages()).as("written, not yet flushed").isEmpty();

        client.runPendingTasks(); // the end of the pass
        assertThat(readText(client)).isEqualTo("response");
    }

    @Test
    void everyChannelOfThePassIsFlushedByOneTask() {
        client.write(bytes("response"));
        PassFlush.flushAfterPass(client);
        upstream.write(bytes("request"));
        PassFlush.flushAfterPass(upstream);

        assertThat(upstream.outboundMessages()).isEmpty();
        client.runPendingTasks(); // the first channel's loop ran the batch's one task
        assertThat(readText(client)).isEqualTo("response");
        assertThat(readText(upstream)).isEqualTo("request");
    }

    @Test
    void theNextPassIsScheduledAgain() {
        client.write(bytes("first"));
        PassFlush.flushAfterPass(client);
        PassFlush.flushAfterPass(client); // twice in a pass: still flushed, once is enough
        client.runPendingTasks();
        assertThat(readText(client)).isEqualTo("first");

        client.write(bytes("second"));
        PassFlush.flushAfterPass(client);
        assertThat(client.outboundMessages()).isEmpty();
        client.runPendingTasks();
        assertThat(readText(client)).isEqualTo("second");
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }

    private static String readText(EmbeddedChannel channel) {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a flushed message").isNotNull();
        try {
            return out.toString(UTF_8);
        } finally {
            out.release();
        }
    }
}
