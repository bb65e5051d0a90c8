package dev.tollgate.server.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A parsed YAML document that keeps every node's position and every scalar's text exactly as written,
 * so that numbers never pass through {@code double} and errors can point at a line and column.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    /** Where the node starts. */
    Mark mark();

    /** What the node is, for messages: "a mapping", "a list", "a value". */
    String kind();

    /** A 1-based position in the source text. */
    record Mark(int line, int column) {}

    /** A mapping entry; keys are unique within their mapping. */
    record Entry(String key, Mark keyMark, YamlNode value) {}

    record Mapping(Mark mark, List<Entry> entries) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record Sequence(Mark mark, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar with its text as written.
     *
     * @param text {@code null} for YAML's null ({@code key:} with nothing after it, {@code ~}, {@code null})
     */
    record Scalar(Mark mark, @Nullable String text) implements YamlNode {
        @Override
        public String kind() {
            return text == null ? "null" : "a value";
        }
    }
}
