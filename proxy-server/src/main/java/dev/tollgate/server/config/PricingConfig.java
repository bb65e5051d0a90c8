package dev.tollgate.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code pricing} section.
 *
 * @param catalog {@link #BUILTIN_CATALOG} or the path of a YAML catalog file (relative to the working directory)
 * @param overrides prices that win over the catalog, model names unique
 * @param profiles self-hosted GPU profiles by name, in config order
 * @param allowUnpriced {@code pricing.unpriced: allow}; when false (default {@code reject}) a tenant with a
 *     rejecting budget cannot send a model that has no price
 */
public record PricingConfig(
        String catalog,
        List<PriceOverrideConfig> overrides,
        Map<String, GpuProfileConfig> profiles,
        boolean allowUnpriced) {

    /** The catalog shipped inside the jar. */
    public static final String BUILTIN_CATALOG = "builtin";

    public PricingConfig {
        Objects.requireNonNull(catalog, "catalog");
        overrides = List.copyOf(overrides);
        // Map.copyOf would lose the config's order, which the printer keeps.
        profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    /** The builtin catalog, no overrides, no profiles, unpriced models rejected for budgeted tenants. */
    public static PricingConfig defaults() {
        return new PricingConfig(BUILTIN_CATALOG, List.of(), Map.of(), false);
    }

    /** Whether {@link #catalog()} names the builtin catalog rather than a file. */
    public boolean usesBuiltinCatalog() {
        return BUILTIN_CATALOG.equals(catalog);
    }

    /** The override for exactly this model name, if any. */
    public Optional<PriceOverrideConfig> override(String model) {
        return overrides.stream().filter(o -> o.model().equals(model)).findFirst();
    }
}
