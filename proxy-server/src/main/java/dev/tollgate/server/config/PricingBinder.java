package dev.tollgate.server.config;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Binds {@code pricing}: the catalog (which must exist when it is a file), overrides with exact decimal prices
 * and ascending tiers, GPU profiles, and the {@code unpriced} policy.
 */
final class PricingBinder {

    static final List<String> KEYS = List.of("catalog", "overrides", "profiles", "unpriced");
    private static final List<String> PRICE_KEYS = List.of(
            "input", "cached_input", "cache_write", "cache_write_1h", "output");

    private PricingBinder() {}

    static PricingConfig pricing(ConfigSection section) {
        String catalog = section.optional("catalog").map(PricingBinder::catalog).orElse(PricingConfig.BUILTIN_CATALOG);
        List<PriceOverrideConfig> overrides = section.optional("overrides")
                .map(PricingBinder::overrides).orElse(List.of());
        Map<String, GpuProfileConfig> profiles = section.optional("profiles")
                .map(PricingBinder::profiles).orElse(Map.of());
        boolean allowUnpriced = section.optional("unpriced").map(PricingBinder::allowUnpriced).orElse(false);
        return new PricingConfig(catalog, overrides, profiles, allowUnpriced);
    }

    private static String catalog(ConfigValue value) {
        String expected = "builtin, or the path of a YAML price catalog";
        String text = value.string(expected);
        if (text.equals(PricingConfig.BUILTIN_CATALOG)) {
            return text;
        }
        try {
            if (Files.isRegularFile(Path.of(text)) && Files.isReadable(Path.of(text))) {
                return text;
            }
        } catch (InvalidPathException e) {
            // reported below like a missing file
        }
        throw value.error(ConfigValue.quote(text) + " is not a readable file (expected: " + expected
                + ", relative to the working directory " + Path.of("").toAbsolutePath() + ")");
    }

    private static List<PriceOverrideConfig> overrides(ConfigValue value) {
        List<PriceOverrideConfig> overrides = new ArrayList<>();
        Map<String, String> models = new HashMap<>();
        for (ConfigValue item : value.list("overrides, each with model, input and output")) {
            List<String> keys = new ArrayList<>(PRICE_KEYS);
            keys.add(0, "model");
            keys.add("tiers");
            ConfigSection section = item.section(keys);
            ConfigValue modelValue = section.required("model", "a model name such as gpt-4o-mini");
            String model = modelValue.string("a model name such as gpt-4o-mini");
            String first = models.putIfAbsent(model, modelValue.path());
            if (first != null) {
                throw modelValue.error(ConfigValue.quote(model) + " is already the model of " + first
                        + " (expected: one override per model)");
            }
            Prices prices = prices(section);
            List<PriceTierConfig> tiers = section.optional("tiers").map(PricingBinder::tiers).orElse(List.of());
            overrides.add(new PriceOverrideConfig(model, prices.input, prices.cachedInput, prices.cacheWrite,
                    prices.cacheWrite1h, prices.output, tiers));
        }
        return overrides;
    }

    private static List<PriceTierConfig> tiers(ConfigValue value) {
        List<PriceTierConfig> tiers = new ArrayList<>();
        long previous = 0;
        for (ConfigValue item : value.list("tiers, each with from_input_tokens, input and output")) {
            List<String> keys = new ArrayList<>(PRICE_KEYS);
            keys.add(0, "from_input_tokens");
            ConfigSection section = item.section(keys);
            ConfigValue fromValue = section.required("from_input_tokens", "an integer >= 1");
            long from = fromValue.longIn(1, Long.MAX_VALUE);
            if (from <= previous) {
                throw fromValue.error(from + " (expected: more than the previous tier's " + previous
                        + "; tiers ascend)");
            }
            previous = from;
            Prices prices = prices(section);
            tiers.add(new PriceTierConfig(from, prices.input, prices.cachedInput, prices.cacheWrite,
                    prices.cacheWrite1h, prices.output));
        }
        return tiers;
    }

    private static Prices prices(ConfigSection section) {
        String perMillion = "USD per 1M tokens, a decimal number >= 0";
        return new Prices(
                section.required("input", perMillion).money(false),
                optionalMoney(section, "cached_input"),
                optionalMoney(section, "cache_write"),
                optionalMoney(section, "cache_write_1h"),
                section.required("output", perMillion).money(false));
    }

    private static @Nullable BigDecimal optionalMoney(ConfigSection section, String key) {
        return section.optional(key).map(v -> v.money(false)).orElse(null);
    }

    private static Map<String, GpuProfileConfig> profiles(ConfigValue value) {
        Map<String, GpuProfileConfig> profiles = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : value.entries("a mapping of profile names to profiles")) {
            ConfigSection section = entry.getValue().section(List.of("gpu_hour_usd", "gpus", "tokens_per_second"));
            BigDecimal gpuHourUsd = section.required("gpu_hour_usd", "USD per GPU hour, a decimal number > 0").money(true);
            int gpus = section.optional("gpus").map(v -> v.intIn(1, 1_000_000)).orElse(1);
            long tokensPerSecond = section.required("tokens_per_second", "an integer >= 1")
                    .longIn(1, Long.MAX_VALUE);
            profiles.put(entry.getKey(), new GpuProfileConfig(gpuHourUsd, gpus, tokensPerSecond));
        }
        return profiles;
    }

    private static boolean allowUnpriced(ConfigValue value) {
        String text = value.string("allow or reject");
        return switch (text) {
            case "allow" -> true;
            case "reject" -> false;
            default -> throw value.error(ConfigValue.quote(text) + " (expected: allow or reject)");
        };
    }

    private record Prices(BigDecimal input, @Nullable BigDecimal cachedInput, @Nullable BigDecimal cacheWrite,
            @Nullable BigDecimal cacheWrite1h, BigDecimal output) {}
}
