package dev.tollgate.core.pricing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the price of a model, in CONTRACT §5's order:
 * <ol>
 *   <li>a config override for exactly this name ({@link PriceSource#OVERRIDE});</li>
 *   <li>a catalog entry whose name or alias is exactly this name ({@link PriceSource#CATALOG});</li>
 *   <li>the same, after removing a dated suffix: {@code gpt-4o-2024-08-06 -> gpt-4o},
 *       {@code claude-3-5-sonnet-20241022}, {@code claude-opus-4@20250514}
 *       ({@link PriceSource#CATALOG_UNDATED}; four-digit suffixes such as {@code -0613} are not
 *       removed, since they often name separately priced versions);</li>
 *   <li>the catalog entry with the longest matching prefix ({@link PriceSource#CATALOG_PREFIX}, see
 *       {@link Catalog#findByLongestPrefix});</li>
 *   <li>the route's {@code pricing_profile} ({@link PriceSource#PROFILE});</li>
 *   <li>otherwise none ({@link PriceSource#NONE}): the caller charges 0 and counts it as unpriced.</li>
 * </ol>
 *
 * <pre>{@code
 * PriceTable table = PriceTable.builder()
 *         .catalog(Catalog.builtin())
 *         .override("gpt-4o-mini", ModelPrice.of(Rates.ofUsdPerMillion("0.15", "0.60")))
 *         .profile("local-gpu", new GpuProfile(new BigDecimal("2.49"), 1, 2400).toModelPrice())
 *         .build();
 * PriceQuote quote = table.resolve(billedModel, route.pricingProfile());
 * long costNanoUsd = quote.costNanoUsd(usage, startedAt);
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #resolve} runs on the request path: it remembers the
 * outcome of the name-based steps per model name in a bounded cache (model names come from
 * clients, so their number is not bounded by the config) and takes no lock on a hit. A new
 * configuration (reload) builds a new table.
 */
public final class PriceTable {

    /** Model names remembered by {@link #resolve}; beyond this the least useful are evicted. */
    static final int CACHE_MAX_NAMES = 10_000;
    /** Longer model names are resolved every time instead of being cached (they are not real names). */
    static final int CACHE_MAX_NAME_LENGTH = 256;

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    private final @Nullable Catalog catalog;
    private final Map<String, ModelPrice> overrides;
    private final Map<String, ModelPrice> profiles;
    private final Cache<String, PriceQuote> byName;

    private PriceTable(Builder b) {
        this.catalog = b.catalog;
        this.overrides = Map.copyOf(b.overrides);
        this.profiles = Map.copyOf(b.profiles);
        this.byName = Caffeine.newBuilder().maximumSize(CACHE_MAX_NAMES).build();
    }

    /**
     * The price of {@code model} on a route whose {@code pricing_profile} is {@code routeProfile}.
     *
     * @param model        the billed model (the response's, falling back to the request's), or null
     *                     when neither named one: only the profile can price it then
     * @param routeProfile the route's profile name, or null; an unknown name prices nothing (check
     *                     configs with {@link #hasProfile})
     */
    public PriceQuote resolve(@Nullable String model, @Nullable String routeProfile) {
        if (model != null) {
            PriceQuote byModel = resolveName(model);
            if (byModel.priced()) {
                return byModel;
            }
        }
        if (routeProfile != null) {
            ModelPrice profile = profiles.get(routeProfile);
            if (profile != null) {
                return new PriceQuote(profile, PriceSource.PROFILE, routeProfile);
            }
        }
        return PriceQuote.none();
    }

    /** Whether a profile of this name was configured. */
    public boolean hasProfile(String name) {
        return profiles.containsKey(name);
    }

    /** The catalog behind this table, if any. */
    public Optional<Catalog> catalog() {
        return Optional.ofNullable(catalog);
    }

    @Override
    public String toString() {
        return "PriceTable[" + catalog + ", overrides " + overrides.keySet() + ", profiles " + profiles.keySet() + "]";
    }

    private PriceQuote resolveName(String model) {
        if (model.length() > CACHE_MAX_NAME_LENGTH) {
            return resolveUncached(model);
        }
        // getIfPresent + put rather than get(key, fn): a miss computes without holding a map lock;
        // two threads racing on one new name compute the same immutable answer.
        PriceQuote quote = byName.getIfPresent(model);
        if (quote == null) {
            quote = resolveUncached(model);
            byName.put(model, quote);
        }
        return quote;
    }

    private PriceQuote resolveUncached(String model) {
        ModelPrice override = overrides.get(model);
        if (override != null) {
            return new PriceQuote(override, PriceSource.OVERRIDE, model);
        }
        if (catalog == null) {
            return PriceQuote.none();
        }
        Optional<CatalogEntry> exact = catalog.find(model);
        if (exact.isPresent()) {
            return quote(exact.get(), PriceSource.CATALOG);
        }
        String undated = ModelNames.withoutDatedSuffix(model);
        if (undated != null) {
            Optional<CatalogEntry> found = catalog.find(undated);
            if (found.isPresent()) {
                return quote(found.get(), PriceSource.CATALOG_UNDATED);
            }
        }
        return catalog.findByLongestPrefix(model)
                .map(e -> quote(e, PriceSource.CATALOG_PREFIX))
                .orElse(PriceQuote.none());
    }

    private static PriceQuote quote(CatalogEntry entry, PriceSource source) {
        return new PriceQuote(entry.price(), source, entry.name());
    }

    /** Collects a catalog, overrides and profiles. Not thread-safe; {@link #build()} returns an immutable table. */
    public static final class Builder {
        private @Nullable Catalog catalog;
        private final Map<String, ModelPrice> overrides = new LinkedHashMap<>();
        private final Map<String, ModelPrice> profiles = new LinkedHashMap<>();

        private Builder() {}

        /** The catalog for steps 2-4; without one, only overrides and profiles price anything. */
        public Builder catalog(Catalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * A {@code pricing.overrides} entry: {@code price} for exactly the model name {@code model}.
         *
         * @throws IllegalArgumentException when {@code model} is empty or already overridden
         */
        public Builder override(String model, ModelPrice price) {
            put(overrides, "override", model, price);
            return this;
        }

        /**
         * A {@code pricing.profiles} entry, e.g. {@code new GpuProfile(...).toModelPrice()}.
         *
         * @throws IllegalArgumentException when {@code name} is empty or already defined
         */
        public Builder profile(String name, ModelPrice price) {
            put(profiles, "profile", name, price);
            return this;
        }

        /** An immutable table of what was added so far. */
        public PriceTable build() {
            return new PriceTable(this);
        }

        private static void put(Map<String, ModelPrice> map, String what, String name, ModelPrice price) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException(what + ": \"\" (expected: a non-empty name)");
            }
            Objects.requireNonNull(price, "price");
            if (map.putIfAbsent(name, price) != null) {
                throw new IllegalArgumentException(what + ": " + name + " (expected: each name once)");
            }
        }
    }
}
