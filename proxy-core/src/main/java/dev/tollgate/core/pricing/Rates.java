package dev.tollgate.core.pricing;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What one token of each type costs, in femto-USD (1e-15 USD) per token: the integer form of a
 * price in USD per 1M tokens, multiplied by 1e9. Every price with at most 9 decimal places in USD
 * per 1M tokens ({@code 0.000000001}) is represented exactly; {@link #ofUsdPerMillion} refuses
 * anything finer rather than rounding it.
 *
 * <pre>{@code
 * Rates gpt4oMini = Rates.ofUsdPerMillion(new BigDecimal("0.15"), new BigDecimal("0.075"), null, null,
 *         new BigDecimal("0.60"));
 * gpt4oMini.inputFemtoUsd();        // 150_000_000 femto-USD per token
 * gpt4oMini.cacheWrite5mFemtoUsd(); // 150_000_000: cache_write defaults to input
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param inputFemtoUsd        uncached input, femto-USD per token
 * @param cachedInputFemtoUsd  input read from a prompt cache, femto-USD per token
 * @param cacheWrite5mFemtoUsd input written to a 5-minute (default) prompt cache, femto-USD per token
 * @param cacheWrite1hFemtoUsd input written to a 1-hour prompt cache, femto-USD per token
 * @param outputFemtoUsd       output (reasoning included), femto-USD per token
 */
public record Rates(
        long inputFemtoUsd,
        long cachedInputFemtoUsd,
        long cacheWrite5mFemtoUsd,
        long cacheWrite1hFemtoUsd,
        long outputFemtoUsd) {

    /** Femto-USD per token in one USD per 1M tokens: 1e-6 USD / 1e-15 USD. */
    public static final long FEMTO_PER_USD_PER_MILLION = 1_000_000_000L;

    /** Every rate must be {@code >= 0}. */
    public Rates {
        if (inputFemtoUsd < 0 || cachedInputFemtoUsd < 0 || cacheWrite5mFemtoUsd < 0
                || cacheWrite1hFemtoUsd < 0 || outputFemtoUsd < 0) {
            throw new IllegalArgumentException("rates: " + inputFemtoUsd + ", " + cachedInputFemtoUsd + ", "
                    + cacheWrite5mFemtoUsd + ", " + cacheWrite1hFemtoUsd + ", " + outputFemtoUsd
                    + " femto-USD per token (expected: >= 0)");
        }
    }

    /**
     * Rates from prices in USD per 1M tokens, with CONTRACT §4's defaults for absent optional prices:
     * {@code cachedInput} and {@code cacheWrite} default to {@code input}, {@code cacheWrite1h} to
     * {@code cacheWrite} (after its own default).
     *
     * @throws IllegalArgumentException naming the field and value when a price is negative or has more
     *     than 9 decimal places
     */
    public static Rates ofUsdPerMillion(
            BigDecimal input,
            @Nullable BigDecimal cachedInput,
            @Nullable BigDecimal cacheWrite,
            @Nullable BigDecimal cacheWrite1h,
            BigDecimal output) {
        long in = femtoUsdPerToken("input", input);
        long cached = cachedInput == null ? in : femtoUsdPerToken("cached_input", cachedInput);
        long write5m = cacheWrite == null ? in : femtoUsdPerToken("cache_write", cacheWrite);
        long write1h = cacheWrite1h == null ? write5m : femtoUsdPerToken("cache_write_1h", cacheWrite1h);
        return new Rates(in, cached, write5m, write1h, femtoUsdPerToken("output", output));
    }

    /** Input and output prices in USD per 1M tokens; cached input and cache writes cost what input costs. */
    public static Rates ofUsdPerMillion(String input, String output) {
        return ofUsdPerMillion(new BigDecimal(input), null, null, null, new BigDecimal(output));
    }

    /** The same femto-USD per token for every token type, as a self-hosted {@link GpuProfile} charges. */
    public static Rates uniform(long femtoUsdPerToken) {
        return new Rates(femtoUsdPerToken, femtoUsdPerToken, femtoUsdPerToken, femtoUsdPerToken, femtoUsdPerToken);
    }

    /**
     * A price in USD per 1M tokens as femto-USD per token, exactly.
     *
     * @param field names the price in error messages, e.g. {@code cached_input}
     * @throws IllegalArgumentException when {@code usdPerMillion} is negative, has more than 9 decimal
     *     places, or exceeds about 9.2 billion USD per 1M tokens
     */
    public static long femtoUsdPerToken(String field, BigDecimal usdPerMillion) {
        if (usdPerMillion.signum() < 0) {
            throw new IllegalArgumentException(field + ": " + usdPerMillion.toPlainString()
                    + " USD per 1M tokens (expected: >= 0)");
        }
        BigDecimal femto = usdPerMillion.movePointRight(9);
        if (femto.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(field + ": " + usdPerMillion.toPlainString()
                    + " USD per 1M tokens has more than 9 decimal places (expected: a multiple of 0.000000001,"
                    + " i.e. 1e-15 USD per token)");
        }
        try {
            return femto.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + ": " + usdPerMillion.toPlainString()
                    + " USD per 1M tokens (expected: < 9223372036.854775807)", e);
        }
    }
}
