package dev.tollgate.core.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** The shared Jackson factory and the scalar readers every dialect uses. */
final class Json {

    /**
     * One factory for the process: it is thread-safe and shares its field-name table, so the
     * names that recur in every SSE chunk are decoded once. Interning is off because field names
     * come from clients and upstreams: canonicalising is enough for our map lookups.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    /** Model names longer than this are garbage, not labels: they are ignored. */
    static final int MAX_MODEL_CHARS = 256;

    private Json() {}

    /**
     * A token count: the current integer (or integral float) value, clamped at 0; -1 when the
     * value is not a number (null, a string) or does not fit a long.
     */
    static long count(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return -1;
            }
            return Math.max(0, p.getLongValue());
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d < 0) {
                return 0;
            }
            // NaN, infinity and absurd sizes are garbage, not counts.
            return d < 0x1p62 ? (long) d : -1;
        }
        return -1;
    }

    /**
     * A limit such as {@code max_tokens}: the current count, or -1 when it is absent, not a number
     * or negative (Ollama's {@code num_predict: -1} means "no limit", not zero).
     */
    static long limit(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = p.getDoubleValue();
            return value >= 0 ? count(p) : -1;
        }
        return -1;
    }

    /**
     * The current string value as a model name, reusing {@code previous} when it is equal so that
     * a model repeated in every chunk is not allocated again; {@code previous} when the value is
     * not a string or is too long to be a model name.
     */
    static @Nullable String model(JsonParser p, @Nullable String previous) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING || p.getTextLength() > MAX_MODEL_CHARS
                || p.getTextLength() == 0) {
            return previous;
        }
        if (previous != null && textEquals(p, previous)) {
            return previous;
        }
        return p.getText();
    }

    /** Whether the current token is a string equal to {@code expected}, compared without allocating. */
    static boolean textEquals(JsonParser p, String expected) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return false;
        }
        int length = p.getTextLength();
        if (length != expected.length()) {
            return false;
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        for (int i = 0; i < length; i++) {
            if (chars[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Appends the current string value, if it is one, to {@code sample} without allocating a String. */
    static void appendText(JsonParser p, TextSample sample) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            sample.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
    }
}
