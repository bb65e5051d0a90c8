package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/** The scalar readers every dialect uses, over the values a {@link JsonWalker} reports. */
final class Json {

    /** Model names longer than this are garbage, not labels: they are ignored. */
    static final int MAX_MODEL_CHARS = 256;

    private Json() {}

    /**
     * A token count: the value if it is an integer (or an integral-valued float), clamped at 0; -1
     * when it is not a number (null, a string) or does not fit a long.
     */
    static long count(JsonValue value) {
        if (value.kind() != JsonValue.Kind.NUMBER) {
            return -1;
        }
        if (value.isIntegral()) {
            long count = value.longValue();
            return count == Long.MIN_VALUE ? -1 : Math.max(0, count);
        }
        double d = value.doubleValue();
        if (d < 0) {
            return 0;
        }
        // NaN, infinity and absurd sizes are garbage, not counts.
        return d < 0x1p62 ? (long) d : -1;
    }

    /**
     * A limit such as {@code max_tokens}: the count, or -1 when it is absent, not a number or
     * negative (Ollama's {@code num_predict: -1} means "no limit", not zero).
     */
    static long limit(JsonValue value) {
        if (value.kind() != JsonValue.Kind.NUMBER) {
            return -1;
        }
        return value.doubleValue() >= 0 ? count(value) : -1;
    }

    /**
     * The string value as a model name, reusing {@code previous} when it is equal so that a model
     * repeated in every chunk is not allocated again; {@code previous} when the value is not a
     * string, is empty or is too long to be a model name.
     */
    static @Nullable String model(JsonValue value, @Nullable String previous) {
        if (!value.isString() || value.rawLength() == 0 || value.rawLength() > 6L * MAX_MODEL_CHARS) {
            return previous;
        }
        if (previous != null && value.textEquals(previous)) {
            return previous;
        }
        String text = value.text();
        return text == null || text.isEmpty() || text.length() > MAX_MODEL_CHARS ? previous : text;
    }

    /** Whether the value is a string equal to {@code expected}, compared without allocating. */
    static boolean textEquals(JsonValue value, String expected) {
        return value.textEquals(expected);
    }

    /** Appends the value, if it is a string, to {@code sample}, copying its bytes as they are when it can. */
    static void appendText(JsonValue value, TextSample sample) {
        value.appendTo(sample);
    }
}
