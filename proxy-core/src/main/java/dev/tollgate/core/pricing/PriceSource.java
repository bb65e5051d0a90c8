package dev.tollgate.core.pricing;

/** Which step of the CONTRACT §5 resolution order priced a request: the ledger's {@code price_source}. */
public enum PriceSource {
    /** {@code pricing.overrides} in the config. */
    OVERRIDE("override"),
    /** The catalog, by the exact model name or one of its aliases. */
    CATALOG("catalog"),
    /** The catalog, after removing a dated suffix such as {@code -2024-08-06}. */
    CATALOG_UNDATED("catalog_undated"),
    /** The catalog entry whose name is the longest prefix of the model's. */
    CATALOG_PREFIX("catalog_prefix"),
    /** The route's self-hosted {@code pricing_profile}. */
    PROFILE("profile"),
    /** No price found: cost 0 and counted as unpriced, never guessed. */
    NONE("none");

    private final String label;

    PriceSource(String label) {
        this.label = label;
    }

    /** The value written to the ledger's {@code price_source}, e.g. {@code catalog_undated}. */
    public String label() {
        return label;
    }
}
