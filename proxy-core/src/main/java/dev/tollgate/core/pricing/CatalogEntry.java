package dev.tollgate.core.pricing;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model of a {@link Catalog}: its canonical name, the other names it is billed under, the name
 * prefixes that identify its variants, and its price. Immutable and thread-safe.
 *
 * @param name     the canonical name, e.g. {@code gpt-4o}; also what {@link PriceQuote#pricedAs()} reports
 * @param provider the provider id, e.g. {@code openai}, or null when the catalog does not say
 * @param aliases  other exact names of this model, e.g. {@code gpt-4o-2024-08-06}
 * @param prefixes declared name prefixes: a model name that starts with one is priced as this model
 *                 unless a longer prefix matches
 * @param price    USD per token, over time and request size
 */
public record CatalogEntry(
        String name, @Nullable String provider, List<String> aliases, List<String> prefixes, ModelPrice price) {

    /** Copies the lists; names and prefixes must not be empty. */
    public CatalogEntry {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: \"\" (expected: a model name)");
        }
        aliases = List.copyOf(aliases);
        prefixes = List.copyOf(prefixes);
        for (String s : aliases) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "': aliases: \"\" (expected: a model name)");
            }
        }
        for (String s : prefixes) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "': prefixes: \"\" (expected: a non-empty prefix)");
            }
        }
        Objects.requireNonNull(price, "price");
    }

    /** An entry with no aliases, no prefixes and no provider. */
    public static CatalogEntry of(String name, ModelPrice price) {
        return new CatalogEntry(name, null, List.of(), List.of(), price);
    }
}
