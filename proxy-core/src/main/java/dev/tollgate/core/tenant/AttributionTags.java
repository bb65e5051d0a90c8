package dev.tollgate.core.tenant;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code X-Tollgate-Tags: feature=search,env=prod}. The header is client input, so it is
 * bounded: at most {@value #MAX_TAGS} tags, keys of at most {@value #MAX_KEY_LENGTH} and values of
 * at most {@value #MAX_VALUE_LENGTH} characters from a safe set; anything else is skipped, never an
 * error.
 */
public final class AttributionTags {

    public static final int MAX_TAGS = 16;
    public static final int MAX_KEY_LENGTH = 64;
    public static final int MAX_VALUE_LENGTH = 128;

    private AttributionTags() {}

    /** The valid tags in header order; empty for a null or blank header. */
    public static Map<String, String> parse(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : header.split(",")) {
            if (tags.size() == MAX_TAGS) {
                break;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (isValidKey(key) && isValidValue(value)) {
                tags.putIfAbsent(key, value);
            }
        }
        return tags;
    }

    /** Keys look like Prometheus label names, so that configured ones can become labels. */
    public static boolean isValidKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValidValue(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
