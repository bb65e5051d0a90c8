package dev.tollgate.server.config;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A mapping whose keys are known in advance. Creating one rejects unknown keys (typos) at once, with a
 * suggestion when one known key is close; a key whose value is null counts as absent, so defaults apply.
 */
final class ConfigSection {

    private final ConfigValue value;
    private final Binding binding;
    private final List<YamlNode.Entry> entries;

    private ConfigSection(ConfigValue value, Binding binding, List<YamlNode.Entry> entries) {
        this.value = value;
        this.binding = binding;
        this.entries = entries;
    }

    static ConfigSection of(ConfigValue value, Binding binding, List<String> keys) {
        if (value.isNull()) {
            return new ConfigSection(value, binding, List.of());
        }
        if (!(value.node() instanceof YamlNode.Mapping mapping)) {
            throw value.error(value.node().kind() + " (expected: a mapping with keys " + String.join(", ", keys) + ")");
        }
        for (YamlNode.Entry entry : mapping.entries()) {
            if (!keys.contains(entry.key())) {
                String problem = "unknown key (expected: " + ConfigNames.orList(keys) + ")";
                String suggestion = closest(entry.key(), keys);
                if (suggestion != null) {
                    problem = "unknown key, did you mean '" + suggestion + "'? (expected: " + ConfigNames.orList(keys) + ")";
                }
                throw binding.error(entry.keyMark(), ConfigValue.child(value.path(), entry.key()), problem);
            }
        }
        return new ConfigSection(value, binding, mapping.entries());
    }

    /** The section itself, for errors about the section as a whole. */
    ConfigValue self() {
        return value;
    }

    /** The value under {@code key} unless it is absent or null. */
    Optional<ConfigValue> optional(String key) {
        for (YamlNode.Entry entry : entries) {
            if (entry.key().equals(key)) {
                var child = new ConfigValue(binding, entry.value(), ConfigValue.child(value.path(), key));
                return child.isNull() ? Optional.empty() : Optional.of(child);
            }
        }
        return Optional.empty();
    }

    /** The value under {@code key}; absent or null is an error at the section's position. */
    ConfigValue required(String key, String expected) {
        return optional(key).orElseThrow(() -> binding.error(value.node().mark(), ConfigValue.child(value.path(), key),
                "missing (expected: " + expected + ")"));
    }

    private static @Nullable String closest(String key, List<String> known) {
        @Nullable String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(1, key.length() / 3) ? best : null;
    }

    /** Levenshtein distance; keys are short, so the quadratic table is fine. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
