package dev.tollgate.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An unpooled allocator that remembers every buffer it hands out, so a test can assert that the
 * code under test released each one, without waiting for the leak detector to notice.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(super.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(super.compositeDirectBuffer(maxNumComponents));
    }

    /** Buffers handed out so far that have not been released to a zero count. */
    public List<ByteBuf> unreleased() {
        return allocated.stream().filter(b -> b.refCnt() != 0).toList();
    }

    /** The largest capacity of any plain (non-composite) buffer handed out so far. */
    public int largestNonComposite() {
        return allocated.stream().filter(b -> !(b instanceof CompositeByteBuf))
                .mapToInt(ByteBuf::capacity).max().orElse(0);
    }

    private <B extends ByteBuf> B track(B buf) {
        allocated.add(buf);
        return buf;
    }
}
