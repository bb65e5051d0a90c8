package dev.tollgate.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time searches must find exactly what a byte-by-byte loop finds, at every offset. */
class ByteScanTest {

    private static final byte[] ALPHABET = {'a', ' ', '"', '\\', '\n', '\r', (byte) 0x80, (byte) 0xC3, (byte) 0xFF, 0, 1, 0x7F};

    @Test
    void agreesWithAByteLoopOnRandomArraysAndRanges() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly filler, so that hits land at every position of a word, or nowhere.
                bytes[i] = random.nextInt(6) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) ('b' + random.nextInt(20));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertThat(ByteScan.indexOfLineFeed(bytes, from, to)).isEqualTo(first(bytes, from, to, -1, b -> b == '\n'));
            assertThat(ByteScan.lineEnd(bytes, from, to)).isEqualTo(first(bytes, from, to, to, b -> b == '\n' || b == '\r'));
            assertThat(ByteScan.stringStop(bytes, from, to)).isEqualTo(first(bytes, from, to, to, b -> b == '"' || b == '\\' || b < ' '));
        }
    }

    private interface BytePredicate {
        boolean test(byte b);
    }

    private static int first(byte[] bytes, int from, int to, int none, BytePredicate predicate) {
        for (int i = from; i < to; i++) {
            if (predicate.test(bytes[i])) {
                return i;
            }
        }
        return none;
    }
}
