package dev.tollgate.core.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches over arrays, eight bytes at a time: every streamed byte is searched for a line end,
 * then for quotes, and a byte-by-byte loop (which the JIT does not vectorise, having an early exit)
 * was most of the proxy's CPU per stream (see bench/README.md). Each word is tested with the
 * classic "has a zero byte" bit trick, {@code (x - 0x01..01) & ~x & 0x80..80}, whose lowest set bit
 * marks exactly the first matching byte in little-endian order.
 */
public final class ByteScan {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LINE_FEEDS = ONES * '\n';
    private static final long CARRIAGE_RETURNS = ONES * '\r';
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long CONTROLS = ONES * ' ';

    private ByteScan() {}

    /** Index of the first {@code '\n'} in {@code bytes[from, to)}, or -1. */
    public static int indexOfLineFeed(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long hits = matches((long) LONGS.get(bytes, i), LINE_FEEDS);
            if (hits != 0) {
                return i + firstByte(hits);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first {@code '\n'} or {@code '\r'} in {@code bytes[from, to)}, or {@code to}. */
    static int lineEnd(byte[] bytes, int from, int to) {
        int i = from;
        while (true) {
            // One test per word finds any control byte; JSON has no others but tab, and few of those.
            for (; i + Long.BYTES <= to; i += Long.BYTES) {
                long hits = below((long) LONGS.get(bytes, i), CONTROLS);
                if (hits != 0) {
                    i += firstByte(hits);
                    break;
                }
            }
            while (i < to && bytes[i] >= ' ') {
                i++; // the tail, shorter than a word
            }
            if (i == to || bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
            i++;
        }
    }

    /**
     * Index of the first {@code '"'}, {@code '\\'}, control or non-ASCII byte in {@code bytes[from, to)},
     * or {@code to}: the end of a plain JSON string, or the place where it needs a closer look.
     */
    static int stringStop(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            long hits = matches(word, QUOTES) | matches(word, BACKSLASHES) | below(word, CONTROLS) | (word & HIGHS);
            if (hits != 0) {
                return i + firstByte(hits);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == '"' || b == '\\' || b < ' ') { // negative: not ASCII
                return i;
            }
        }
        return to;
    }

    /** High bit set in each byte of {@code word} equal to the byte repeated in {@code pattern}. */
    private static long matches(long word, long pattern) {
        long x = word ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }

    /** High bit set in each byte of {@code word} below the byte repeated in {@code bound} (at most 0x80). */
    private static long below(long word, long bound) {
        return (word - bound) & ~word & HIGHS;
    }

    private static int firstByte(long hits) {
        return Long.numberOfTrailingZeros(hits) >>> 3;
    }
}
