package dev.tollgate.server.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code pricing.overrides}: USD per 1M tokens, exactly as written in the config.
 * An absent optional price takes its default per CONTRACT.md §4 ({@code cached_input} and {@code cache_write}
 * default to {@code input}, {@code cache_write_1h} to {@code cache_write}); resolving those is the pricing
 * code's job, so the config keeps what was written.
 *
 * @param tiers prices from a number of input tokens on, ascending by {@link PriceTierConfig#fromInputTokens()}
 */
public record PriceOverrideConfig(
        String model,
        BigDecimal input,
        @Nullable BigDecimal cachedInput,
        @Nullable BigDecimal cacheWrite,
        @Nullable BigDecimal cacheWrite1h,
        BigDecimal output,
        List<PriceTierConfig> tiers) {

    public PriceOverrideConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        tiers = List.copyOf(tiers);
    }
}
