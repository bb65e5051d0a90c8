package dev.tollgate.server.config;

/**
 * The {@code metrics} section.
 *
 * @param maxModelsPerProvider distinct {@code model} label values per provider; later ones are reported as
 *     {@code other}
 */
public record MetricsConfig(int maxModelsPerProvider) {

    public MetricsConfig {
        if (maxModelsPerProvider < 1) {
            throw new IllegalArgumentException(
                    "maxModelsPerProvider: " + maxModelsPerProvider + " (expected: >= 1)");
        }
    }

    /** 200 models per provider. */
    public static MetricsConfig defaults() {
        return new MetricsConfig(200);
    }
}
