package dev.tollgate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer during it. Registered for every test class
 * by JUnit's extension auto-detection (see {@code junit-platform.properties}).
 *
 * <p>The detector only learns of a leak once the leaked buffer is garbage-collected and another
 * buffer is then tracked, so this collects garbage and allocates a few buffers before asking.
 */
public final class NoLeaksExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(16);
                unpooled.release();
            }
        }
        List<String> leaks = CountingLeakDetector.drain();
        assertThat(leaks).as("ByteBuf leaks reported by Netty's paranoid leak detector in " + context.getDisplayName())
                .isEmpty();
    }
}
