package dev.tollgate.server.config;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Prices (USD per 1M tokens) for the whole request once its input tokens (uncached + cached + cache writes)
 * reach {@code fromInputTokens}. Absent optional prices default as in {@link PriceOverrideConfig}.
 *
 * @param fromInputTokens {@code > 0}
 */
public record PriceTierConfig(
        long fromInputTokens,
        BigDecimal input,
        @Nullable BigDecimal cachedInput,
        @Nullable BigDecimal cacheWrite,
        @Nullable BigDecimal cacheWrite1h,
        BigDecimal output) {

    public PriceTierConfig {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (fromInputTokens <= 0) {
            throw new IllegalArgumentException("fromInputTokens: " + fromInputTokens + " (expected: > 0)");
        }
    }
}
