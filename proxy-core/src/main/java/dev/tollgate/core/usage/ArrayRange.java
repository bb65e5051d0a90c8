package dev.tollgate.core.usage;

import java.nio.ByteBuffer;

/**
 * A buffer's remaining bytes as a range of a byte array. The parsers here loop over arrays: the JIT
 * turns that into plain loads, several times faster than {@code ByteBuffer.get(int)} on a direct
 * buffer (see bench/README.md). A heap buffer lends its own array; a buffer without an accessible
 * one (direct or read-only) is copied into scratch space kept for the next call. One per parser;
 * not thread-safe.
 */
final class ArrayRange {

    private static final byte[] NONE = new byte[0];

    private byte[] scratch = NONE;
    private byte[] bytes = NONE;
    private int from;
    private int to;

    /** Aims this range at the buffer's remaining bytes; the buffer's position is not changed. */
    ArrayRange load(ByteBuffer buffer) {
        int length = buffer.remaining();
        if (buffer.hasArray()) {
            bytes = buffer.array();
            from = buffer.arrayOffset() + buffer.position();
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, 256)];
            }
            buffer.get(buffer.position(), scratch, 0, length);
            bytes = scratch;
            from = 0;
        }
        to = from + length;
        return this;
    }

    /** Forgets the array lent by the last buffer, so that it is not kept reachable. */
    void clear() {
        bytes = NONE;
        from = 0;
        to = 0;
    }

    byte[] bytes() {
        return bytes;
    }

    /** Index of the first byte in {@link #bytes()}. */
    int from() {
        return from;
    }

    /** Index one past the last byte in {@link #bytes()}. */
    int to() {
        return to;
    }
}
