package dev.tollgate.core.usage;

/** The disjoint, additive token types of CONTRACT §5; {@link #label()} is the metric label value. */
public enum TokenType {
    INPUT("input"),
    CACHED_INPUT("cached_input"),
    CACHE_WRITE("cache_write"),
    OUTPUT("output");

    private final String label;

    TokenType(String label) {
        this.label = label;
    }

    /** The {@code token_type} metric label value, e.g. {@code cached_input}. */
    public String label() {
        return label;
    }
}
