package dev.tollgate.core.usage;

/**
 * The first characters of a text plus its total length: enough to count tokens locally without
 * holding a whole prompt or completion per request. Counting the sample and scaling by
 * {@link #totalChars()} / {@link #sampledChars()} keeps memory per request bounded.
 *
 * <p>Not thread-safe: filled by one event-loop thread, then read by the estimator after a
 * happens-before hand-off.
 */
public final class TextSample {

    /** Characters kept by default: a few thousand tokens, which is plenty to measure a ratio. */
    public static final int DEFAULT_CAPACITY = 8192;

    private final StringBuilder sample = new StringBuilder();
    private final int capacity;
    private long totalChars;

    /** An empty sample keeping up to {@link #DEFAULT_CAPACITY} characters. */
    public TextSample() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * An empty sample keeping up to {@code capacity} characters (0: count only).
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public TextSample(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
        }
        this.capacity = capacity;
    }

    /** Appends a piece of text; only the first {@code capacity} characters are kept. */
    public void append(CharSequence text) {
        totalChars += text.length();
        int room = capacity - sample.length();
        if (room > 0) {
            sample.append(text, 0, Math.min(room, text.length()));
        }
    }

    /**
     * Appends {@code length} characters of {@code chars} from {@code offset}, like
     * {@link #append(CharSequence)} but without wrapping them first: parsers hand over their own
     * character buffers, which this does not retain.
     */
    public void append(char[] chars, int offset, int length) {
        totalChars += length;
        int room = capacity - sample.length();
        if (room > 0) {
            sample.append(chars, offset, Math.min(room, length));
        }
    }

    /** The length of all the text appended, kept or not, in UTF-16 chars. */
    public long totalChars() {
        return totalChars;
    }

    /** How many characters are kept: at most the capacity. */
    public int sampledChars() {
        return sample.length();
    }

    /** Whether no text at all was appended. */
    public boolean isEmpty() {
        return totalChars == 0;
    }

    /** The kept characters. */
    public String text() {
        return sample.toString();
    }
}
