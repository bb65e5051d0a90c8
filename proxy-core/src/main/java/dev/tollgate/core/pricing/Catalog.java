package dev.tollgate.core.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model prices by name: the builtin catalog shipped in the jar ({@link #builtin()}, derived from
 * genai-prices by {@code tools/derive-catalog.py}) or a YAML file of the same format
 * ({@code pricing.catalog: <path>}, {@link #load(Path)}).
 *
 * <p>Lookups compare names exactly (case-sensitive), as providers spell them:
 * <ul>
 *   <li>{@link #find(String)}: a canonical name or an alias;</li>
 *   <li>{@link #findByLongestPrefix(String)}: the entry whose declared prefix, or canonical name, is
 *       the longest prefix of the given name. A canonical name only counts as a prefix when the rest
 *       of the given name starts with a separator (not a letter, digit or {@code .}): {@code gpt-4}
 *       prices {@code gpt-4-0125-preview} but not {@code gpt-4o-foo} or {@code gpt-4.7}.</li>
 * </ul>
 *
 * <p>File format (prices in USD per 1M tokens, decimal strings or numbers, at most 9 decimal places):
 * <pre>{@code
 * as_of: 2026-11-27                      # required: the date the prices were taken
 * source: "..."                          # optional
 * models:
 *   - name: claude-sonnet-4-6            # required, unique across names and aliases
 *     provider: anthropic                # optional
 *     aliases: [claude-sonnet-4-6-latest]
 *     prefixes: [claude-sonnet-4.6]
 *     input: "3"                         # required
 *     cached_input: "0.3"                # optional, defaults to input
 *     cache_write: "3.75"                # optional, defaults to input (5-minute writes)
 *     cache_write_1h: "6"                # optional, defaults to cache_write
 *     output: "15"                       # required
 *     tiers:                             # from this many total input tokens, for the whole request
 *       - from_input_tokens: 200001
 *         input: "6"                     # only the prices that change; the rest are the base's
 *         output: "22.5"
 *     hours:                             # daily UTC windows [from, to), complete prices each
 *       - {from: "00:30", to: "16:30", input: "6", output: "30"}
 *     changes:                           # complete prices (tiers, hours) from that UTC date or instant on
 *       - {from: "2026-03-13", input: "3", output: "15"}
 * }</pre>
 * In a tier, an absent price is the base's explicitly written one, else defaults as in
 * {@link Rates#ofUsdPerMillion}; hour windows and changes repeat their prices in full.
 *
 * <p>Immutable and thread-safe.
 */
public final class Catalog {

    /** Name of the builtin catalog's resource, next to this class. */
    static final String BUILTIN_RESOURCE = "catalog.yaml";

    /**
     * The catalog shipped in the jar, parsed once on first use. It is an immutable constant, not
     * mutable static state, so sharing it does not couple tests.
     */
    public static Catalog builtin() {
        return Builtin.CATALOG;
    }

    /**
     * Reads a catalog file.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when its content is invalid; the message names the file, the
     *                                  model and the field
     */
    public static Catalog load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CatalogReader.read(in, file.toString());
        }
    }

    /**
     * A catalog of the given entries.
     *
     * @throws IllegalArgumentException when a name, alias or declared prefix is used twice
     */
    public static Catalog of(LocalDate asOf, List<CatalogEntry> entries) {
        return new Catalog("entries", asOf, entries);
    }

    private final String origin;
    private final LocalDate asOf;
    private final List<CatalogEntry> entries;
    private final Map<String, CatalogEntry> byName;
    private final List<PrefixRule> prefixRules; // longest first

    Catalog(String origin, LocalDate asOf, List<CatalogEntry> entries) {
        this.origin = origin;
        this.asOf = asOf;
        this.entries = List.copyOf(entries);
        this.byName = new HashMap<>();
        Map<String, PrefixRule> rules = new HashMap<>();
        for (CatalogEntry e : this.entries) {
            index(e.name(), e);
            for (String alias : e.aliases()) {
                index(alias, e);
            }
            for (String prefix : e.prefixes()) {
                PrefixRule previous = rules.put(prefix, new PrefixRule(prefix, false, e));
                if (previous != null && previous.entry() != e) {
                    throw new IllegalArgumentException(origin + ": model '" + e.name() + "': prefix '" + prefix
                            + "' is already declared by model '" + previous.entry().name()
                            + "' (expected: each prefix once)");
                }
            }
        }
        for (CatalogEntry e : this.entries) {
            // A declared prefix equal to a name is the more general rule (no separator needed).
            rules.putIfAbsent(e.name(), new PrefixRule(e.name(), true, e));
        }
        List<PrefixRule> sorted = new ArrayList<>(rules.values());
        sorted.sort(Comparator.comparingInt((PrefixRule r) -> r.prefix().length()).reversed()
                .thenComparing(PrefixRule::prefix));
        this.prefixRules = List.copyOf(sorted);
    }

    /** The date the catalog's prices were taken (its {@code as_of}). */
    public LocalDate asOf() {
        return asOf;
    }

    /** Where the catalog came from: {@code builtin}, a file path, or {@code entries}. */
    public String origin() {
        return origin;
    }

    /** Every entry, in catalog order. */
    public List<CatalogEntry> entries() {
        return entries;
    }

    /** The entry whose canonical name or one of whose aliases is exactly {@code name}. */
    public Optional<CatalogEntry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The entry with the longest declared prefix or canonical name (followed by a separator) that
     * {@code model} starts with; see the class description.
     */
    public Optional<CatalogEntry> findByLongestPrefix(String model) {
        for (PrefixRule rule : prefixRules) {
            if (rule.matches(model)) {
                return Optional.of(rule.entry());
            }
        }
        return Optional.empty();
    }

    /**
     * Every prefix {@link #findByLongestPrefix} tries, longest first: the declared prefixes and the
     * canonical names (which match only when followed by a separator).
     */
    public List<String> prefixes() {
        return prefixRules.stream().map(PrefixRule::prefix).toList();
    }

    @Override
    public String toString() {
        return "Catalog[" + origin + ", as of " + asOf + ", " + entries.size() + " models]";
    }

    private void index(String name, CatalogEntry entry) {
        CatalogEntry previous = byName.put(name, entry);
        if (previous != null) {
            throw new IllegalArgumentException(origin + ": model '" + entry.name() + "': name '" + name
                    + "' is already used by model '" + previous.name() + "' (expected: unique names and aliases)");
        }
    }

    /** {@code model} starts with {@code prefix}; a name-derived rule also needs a separator after it. */
    private record PrefixRule(String prefix, boolean needsSeparator, CatalogEntry entry) {
        boolean matches(String model) {
            if (!model.startsWith(prefix)) {
                return false;
            }
            if (!needsSeparator || model.length() == prefix.length()) {
                return true;
            }
            char next = model.charAt(prefix.length());
            return !(Character.isLetterOrDigit(next) || next == '.');
        }
    }

    /** Lazy holder: the builtin catalog is parsed on the first {@link #builtin()} call only. */
    private static final class Builtin {
        static final Catalog CATALOG = load();

        private static Catalog load() {
            try (InputStream in = Catalog.class.getResourceAsStream(BUILTIN_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("builtin catalog resource " + BUILTIN_RESOURCE + " is missing");
                }
                return CatalogReader.read(in, "builtin");
            } catch (IOException e) {
                throw new UncheckedIOException("reading the builtin catalog", e);
            }
        }
    }
}
