package dev.tollgate.core.pricing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Parses the catalog YAML format that {@link Catalog} describes; every error names the file, model and field. */
final class CatalogReader {

    private static final Set<String> TOP_KEYS = Set.of("as_of", "source", "license", "models");
    private static final Set<String> PRICE_KEYS = Set.of("input", "cached_input", "cache_write", "cache_write_1h", "output");
    private static final Set<String> MODEL_KEYS =
            union(PRICE_KEYS, "name", "provider", "aliases", "prefixes", "tiers", "hours", "changes");
    private static final Set<String> TIER_KEYS = union(PRICE_KEYS, "from_input_tokens");
    private static final Set<String> HOURS_KEYS = union(PRICE_KEYS, "from", "to", "tiers");
    private static final Set<String> CHANGE_KEYS = union(PRICE_KEYS, "from", "tiers", "hours");

    // Thread-safe once configured; exact decimals for bare YAML numbers; duplicate keys are errors.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String file;

    private CatalogReader(String file) {
        this.file = file;
    }

    /**
     * Reads a whole catalog.
     *
     * @param file names the source in error messages
     * @throws IllegalArgumentException for invalid content
     */
    static Catalog read(InputStream in, String file) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        }
        return new CatalogReader(file).catalog(root);
    }

    private Catalog catalog(@Nullable JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping with as_of and models");
        }
        checkKeys(root, TOP_KEYS, file);
        JsonNode asOfNode = root.get("as_of");
        if (asOfNode == null || !asOfNode.isValueNode()) {
            throw new IllegalArgumentException(file + ": as_of: missing (expected: the date the prices were taken,"
                    + " e.g. 2026-11-27)");
        }
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(asOfNode.asText());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(file + ": as_of: " + asOfNode.asText() + " (expected: YYYY-MM-DD)", e);
        }
        JsonNode models = root.get("models");
        if (models == null || !models.isArray()) {
            throw new IllegalArgumentException(file + ": models: " + (models == null ? "missing" : models.getNodeType())
                    + " (expected: a list of models)");
        }
        List<CatalogEntry> entries = new ArrayList<>();
        int index = 0;
        for (JsonNode model : models) {
            entries.add(entry(model, index++));
        }
        try {
            return new Catalog(file, asOf, entries);
        } catch (IllegalArgumentException e) {
            throw prefixed(e, file);
        }
    }

    private CatalogEntry entry(JsonNode node, int index) {
        String where = file + ": models[" + index + "]";
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": " + node.getNodeType() + " (expected: a mapping)");
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isValueNode() || nameNode.asText().isEmpty()) {
            throw new IllegalArgumentException(where + ": name: missing (expected: the model's name)");
        }
        String name = nameNode.asText();
        where = file + ": model '" + name + "'";
        checkKeys(node, MODEL_KEYS, where);
        JsonNode providerNode = node.get("provider");
        String provider = providerNode == null || providerNode.isNull() ? null : providerNode.asText();
        try {
            return new CatalogEntry(name, provider, strings(node, "aliases", where), strings(node, "prefixes", where),
                    modelPrice(node, where));
        } catch (IllegalArgumentException e) {
            throw String.valueOf(e.getMessage()).startsWith(file) ? e : prefixed(e, where);
        }
    }

    /** A complete price: base prices, tiers, hour windows and dated changes. */
    private ModelPrice modelPrice(JsonNode node, String where) {
        ModelPrice.Builder builder = periodBuilder(node, where);
        JsonNode changes = node.get("changes");
        if (changes != null) {
            int i = 0;
            for (JsonNode change : list(changes, where + ": changes")) {
                String at = where + ": changes[" + i++ + "]";
                checkKeys(change, CHANGE_KEYS, at);
                builder.change(start(change, at), periodBuilder(change, at).build());
            }
        }
        return builder.build();
    }

    /** Base prices, tiers and hour windows of one period. */
    private ModelPrice.Builder periodBuilder(JsonNode node, String where) {
        ModelPrice.Builder builder = tieredBuilder(node, where);
        JsonNode hours = node.get("hours");
        if (hours != null) {
            int i = 0;
            for (JsonNode window : list(hours, where + ": hours")) {
                String at = where + ": hours[" + i++ + "]";
                checkKeys(window, HOURS_KEYS, at);
                LocalTime from = timeOfDay(window, "from", at);
                LocalTime to = timeOfDay(window, "to", at);
                try {
                    builder.hours(from, to, tieredBuilder(window, at).build());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
                }
            }
        }
        return builder;
    }

    /** Base prices and tiers. */
    private ModelPrice.Builder tieredBuilder(JsonNode node, String where) {
        Usd base = usd(node, where);
        require(base.input, "input", where);
        require(base.output, "output", where);
        ModelPrice.Builder builder = ModelPrice.builder(base.toRates());
        JsonNode tiers = node.get("tiers");
        if (tiers != null) {
            int i = 0;
            for (JsonNode tier : list(tiers, where + ": tiers")) {
                String at = where + ": tiers[" + i++ + "]";
                checkKeys(tier, TIER_KEYS, at);
                JsonNode from = tier.get("from_input_tokens");
                if (from == null || !from.canConvertToExactIntegral() || !from.canConvertToLong()) {
                    throw new IllegalArgumentException(at + ": from_input_tokens: " + from
                            + " (expected: a whole number of input tokens > 0)");
                }
                Usd changed = usd(tier, at);
                if (changed.isEmpty()) {
                    throw new IllegalArgumentException(at + ": no prices (expected: at least one of " + PRICE_KEYS + ")");
                }
                try {
                    builder.tier(from.asLong(), base.overlay(changed).toRates());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
                }
            }
        }
        return builder;
    }

    private Usd usd(JsonNode node, String where) {
        try {
            return new Usd(
                    decimal(node, "input", where),
                    decimal(node, "cached_input", where),
                    decimal(node, "cache_write", where),
                    decimal(node, "cache_write_1h", where),
                    decimal(node, "output", where));
        } catch (IllegalArgumentException e) {
            throw prefixed(e, where);
        }
    }

    private static @Nullable BigDecimal decimal(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal d;
        if (value.isNumber()) {
            d = value.decimalValue();
        } else if (value.isTextual()) {
            try {
                d = new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + field + ": '" + value.asText()
                        + "' (expected: a decimal number of USD per 1M tokens)", e);
            }
        } else {
            throw new IllegalArgumentException(where + ": " + field + ": " + value.getNodeType()
                    + " (expected: a decimal number of USD per 1M tokens)");
        }
        // Validates sign and precision here, so the message names where the value is.
        try {
            Rates.femtoUsdPerToken(field, d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        return d;
    }

    /** {@code e} with {@code where} in front of its message, unless it is there already. */
    private static IllegalArgumentException prefixed(IllegalArgumentException e, String where) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith(where) ? e : new IllegalArgumentException(where + ": " + message, e);
    }

    private static void require(@Nullable BigDecimal value, String field, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": " + field + ": missing (expected: USD per 1M tokens)");
        }
    }

    private static Instant start(JsonNode node, String where) {
        JsonNode from = node.get("from");
        if (from == null || !from.isValueNode()) {
            throw new IllegalArgumentException(where + ": from: missing (expected: a UTC date like 2026-08-17"
                    + " or an instant like 2026-08-17T16:00:00Z)");
        }
        String text = from.asText();
        try {
            return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(where + ": from: " + text + " (expected: a UTC date like 2026-08-17"
                    + " or an instant like 2026-08-17T16:00:00Z)", e);
        }
    }

    private static LocalTime timeOfDay(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        String text = value == null ? "missing" : value.asText();
        if ("to".equals(field) && ("24:00".equals(text) || "24:00:00".equals(text))) {
            return LocalTime.MIDNIGHT;
        }
        try {
            if (value == null || !text.matches("\\d{2}:\\d{2}(:\\d{2})?")) {
                throw new DateTimeException(text);
            }
            return LocalTime.parse(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(where + ": " + field + ": " + text
                    + " (expected: a UTC time of day HH:MM, 'to' may be 24:00)", e);
        }
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : list(value, where + ": " + field)) {
            if (!item.isValueNode() || item.isNull()) {
                throw new IllegalArgumentException(where + ": " + field + ": " + item + " (expected: a string)");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static Iterable<JsonNode> list(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + ": " + node.getNodeType() + " (expected: a list)");
        }
        return node;
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": " + node.getNodeType() + " (expected: a mapping)");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (expected one of: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static Set<String> union(Set<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    /** Prices in USD per 1M tokens as written; absent ones are null until {@link #toRates()} defaults them. */
    private record Usd(
            @Nullable BigDecimal input,
            @Nullable BigDecimal cachedInput,
            @Nullable BigDecimal cacheWrite,
            @Nullable BigDecimal cacheWrite1h,
            @Nullable BigDecimal output) {

        boolean isEmpty() {
            return input == null && cachedInput == null && cacheWrite == null && cacheWrite1h == null && output == null;
        }

        /** These prices with {@code changed}'s written ones in their place. */
        Usd overlay(Usd changed) {
            return new Usd(
                    changed.input != null ? changed.input : input,
                    changed.cachedInput != null ? changed.cachedInput : cachedInput,
                    changed.cacheWrite != null ? changed.cacheWrite : cacheWrite,
                    changed.cacheWrite1h != null ? changed.cacheWrite1h : cacheWrite1h,
                    changed.output != null ? changed.output : output);
        }

        /** Requires input and output (checked by the caller). */
        Rates toRates() {
            if (input == null || output == null) {
                throw new IllegalStateException("input and output are checked before");
            }
            return Rates.ofUsdPerMillion(input, cachedInput, cacheWrite, cacheWrite1h, output);
        }
    }
}
