package dev.tollgate.core.usage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first bytes of a text, in UTF-8, plus its total length: enough to count tokens locally without
 * holding a whole prompt or completion per request. Counting the sample and scaling by
 * {@link #totalBytes()} / {@link #sampledBytes()} keeps memory per request bounded.
 *
 * <p>Text is kept as the UTF-8 bytes the parsers read, copied as they are: most requests' upstreams
 * report their usage, and the sample is decoded only for the few that do not.
 *
 * <p>Not thread-safe: filled by one event-loop thread, then read by the estimator after a
 * happens-before hand-off.
 */
public final class TextSample {

    /** Bytes kept by default: a few thousand tokens, which is plenty to measure a ratio. */
    public static final int DEFAULT_CAPACITY = 8192;

    private static final byte[] EMPTY = new byte[0];

    private byte[] sample = EMPTY;
    private int sampled;
    private final int capacity;
    private long totalBytes;
    /** Bytes the first allocation makes room for: the text is expected to be about this long. */
    private int expected;

    /** An empty sample keeping up to {@link #DEFAULT_CAPACITY} bytes. */
    public TextSample() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * An empty sample keeping up to {@code capacity} bytes (0: count only).
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public TextSample(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
        }
        this.capacity = capacity;
    }

    /** Appends a piece of text; only the first {@code capacity} bytes of the whole are kept. */
    public void append(CharSequence text) {
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        appendUtf8(utf8, 0, utf8.length, utf8.length);
    }

    /**
     * Says that the text to come is at most about {@code bytes} long (a request body's length, say),
     * so that the sample is allocated once at that size (up to its capacity) rather than grown.
     */
    public void expect(long bytes) {
        expected = (int) Math.min(capacity, Math.max(0, bytes));
    }

    /**
     * Appends the UTF-8 text {@code bytes[from, to)}, which stands for {@code wholeLength} bytes of
     * text (more when a parser kept only the start of a long string). The array is not retained.
     */
    void appendUtf8(byte[] bytes, int from, int to, long wholeLength) {
        totalBytes += wholeLength;
        int room = capacity - sampled;
        if (room <= 0 || to <= from) {
            return;
        }
        int length = Math.min(room, to - from);
        if (sample.length < sampled + length) {
            int size = Math.max(sampled + length, Math.max(expected, 2 * sample.length));
            sample = Arrays.copyOf(sample, Math.min(capacity, size));
        }
        System.arraycopy(bytes, from, sample, sampled, length);
        sampled += length;
    }

    /** The length of all the text appended, kept or not, in UTF-8 bytes. */
    public long totalBytes() {
        return totalBytes;
    }

    /** How many bytes are kept: at most the capacity. */
    public int sampledBytes() {
        return sampled;
    }

    /** Whether no text at all was appended. */
    public boolean isEmpty() {
        return totalBytes == 0;
    }

    /** The kept text; a character cut in two by the capacity is left out. */
    public String text() {
        return new String(sample, 0, wholeCharacters(), StandardCharsets.UTF_8);
    }

    /** The kept length without a trailing multi-byte character that the capacity cut short. */
    private int wholeCharacters() {
        int end = sampled;
        int lead = end - 1;
        while (lead >= 0 && lead > end - 4 && (sample[lead] & 0xC0) == 0x80) {
            lead--; // continuation bytes
        }
        if (lead < 0 || (sample[lead] & 0x80) == 0) {
            return end;
        }
        int b = sample[lead] & 0xFF;
        int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        return end - lead >= needed ? end : lead;
    }
}
