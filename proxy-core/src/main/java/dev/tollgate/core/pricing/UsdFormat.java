package dev.tollgate.core.pricing;

import java.math.BigDecimal;

/**
 * Conversions between Tollgate's integer money units and decimal text. Money is {@code long}
 * nano-USD (1e-9) end to end; a {@code double} appears only through {@link #nanoToDouble}, for
 * export (Prometheus), never in arithmetic.
 *
 * <pre>{@code
 * UsdFormat.nanoToDecimal(123_456);        // "0.000123456"
 * UsdFormat.nanoToDecimal(-1_500_000_000); // "-1.500000000"
 * UsdFormat.usdToNano(new BigDecimal("40")); // 40_000_000_000
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class UsdFormat {

    /** Nano-USD in one USD. */
    public static final long NANO_PER_USD = 1_000_000_000L;

    private UsdFormat() {}

    /** Nano-USD as a USD decimal with exactly 9 places, e.g. {@code "0.000123456"}; exact for every value. */
    public static String nanoToDecimal(long nano) {
        return BigDecimal.valueOf(nano, 9).toPlainString();
    }

    /**
     * Nano-USD as a {@code double} number of USD, for export only (e.g. a Prometheus sample): the
     * {@code double} nearest to the exact decimal.
     */
    public static double nanoToDouble(long nano) {
        return BigDecimal.valueOf(nano, 9).doubleValue();
    }

    /**
     * A USD amount (a budget limit, say) as nano-USD, exactly.
     *
     * @throws IllegalArgumentException when it has more than 9 decimal places or exceeds {@link Long#MAX_VALUE} nano-USD
     */
    public static long usdToNano(BigDecimal usd) {
        BigDecimal nano = usd.movePointRight(9);
        if (nano.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("usd: " + usd.toPlainString()
                    + " (expected: at most 9 decimal places)");
        }
        try {
            return nano.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("usd: " + usd.toPlainString()
                    + " (expected: at most 9223372036.854775807)", e);
        }
    }

    /** Femto-USD per token as USD per 1M tokens, shortest exact decimal, e.g. {@code 150_000_000 -> "0.15"}. */
    public static String femtoPerTokenToUsdPerMillion(long femtoUsdPerToken) {
        BigDecimal usd = BigDecimal.valueOf(femtoUsdPerToken, 9).stripTrailingZeros();
        return usd.scale() < 0 ? usd.setScale(0).toPlainString() : usd.toPlainString();
    }
}
