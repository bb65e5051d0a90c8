package dev.tollgate.core.pricing;

import dev.tollgate.core.usage.TokenUsage;
import java.math.BigInteger;
import java.time.Instant;

/**
 * A request's cost, exactly: {@code Σ tokens[type] × femto-USD per token[type]}, summed in
 * femto-USD (1e-15) and rounded once, half up, to nano-USD (1e-9), the unit of ledger records,
 * budgets and totals. Totals are sums of these nano-USD amounts, so they equal the sum of their
 * requests exactly.
 *
 * <p>The sum runs in {@code long} ({@link Math#multiplyExact}/{@link Math#addExact}); a request
 * large enough to pass 9.2e18 femto-USD (about 9,200 USD) is recomputed with {@link BigInteger}
 * instead of wrapping. Only a cost past {@link Long#MAX_VALUE} nano-USD (9.2 billion USD) throws.
 *
 * <p>Stateless and thread-safe.
 */
public final class CostCalculator {

    /** Femto-USD in one nano-USD. */
    public static final long FEMTO_PER_NANO = 1_000_000L;

    private static final BigInteger BIG_FEMTO_PER_NANO = BigInteger.valueOf(FEMTO_PER_NANO);
    private static final BigInteger BIG_HALF_NANO = BigInteger.valueOf(FEMTO_PER_NANO / 2);

    private CostCalculator() {}

    /**
     * The cost in nano-USD of {@code usage} under {@code price} for a request made at {@code at}.
     *
     * @throws ArithmeticException only when the cost exceeds {@link Long#MAX_VALUE} nano-USD
     */
    public static long costNanoUsd(TokenUsage usage, ModelPrice price, Instant at) {
        return costNanoUsd(usage, price.ratesFor(usage, at));
    }

    /**
     * The cost in nano-USD of {@code usage} at {@code rates}: the exact femto-USD sum, rounded half up.
     *
     * @throws ArithmeticException only when the cost exceeds {@link Long#MAX_VALUE} nano-USD
     */
    public static long costNanoUsd(TokenUsage usage, Rates rates) {
        long femto;
        try {
            femto = Math.multiplyExact(usage.input(), rates.inputFemtoUsd());
            femto = Math.addExact(femto, Math.multiplyExact(usage.cachedInput(), rates.cachedInputFemtoUsd()));
            femto = Math.addExact(femto, Math.multiplyExact(usage.cacheWrite5m(), rates.cacheWrite5mFemtoUsd()));
            femto = Math.addExact(femto, Math.multiplyExact(usage.cacheWrite1h(), rates.cacheWrite1hFemtoUsd()));
            femto = Math.addExact(femto, Math.multiplyExact(usage.output(), rates.outputFemtoUsd()));
            femto = Math.addExact(femto, FEMTO_PER_NANO / 2);
        } catch (ArithmeticException overflow) {
            return bigCostNanoUsd(usage, rates);
        }
        return femto / FEMTO_PER_NANO; // femto >= 0, so integer division after + half rounds half up
    }

    /**
     * The cost in femto-USD before rounding, for tests and diagnostics.
     *
     * @throws ArithmeticException when it exceeds {@link Long#MAX_VALUE} femto-USD
     */
    public static long costFemtoUsd(TokenUsage usage, Rates rates) {
        return femtoSum(usage, rates).longValueExact();
    }

    private static long bigCostNanoUsd(TokenUsage usage, Rates rates) {
        BigInteger nano = femtoSum(usage, rates).add(BIG_HALF_NANO).divide(BIG_FEMTO_PER_NANO);
        try {
            return nano.longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException("cost: " + nano + " nano-USD for " + usage
                    + " (expected: <= " + Long.MAX_VALUE + ")");
        }
    }

    private static BigInteger femtoSum(TokenUsage usage, Rates rates) {
        return product(usage.input(), rates.inputFemtoUsd())
                .add(product(usage.cachedInput(), rates.cachedInputFemtoUsd()))
                .add(product(usage.cacheWrite5m(), rates.cacheWrite5mFemtoUsd()))
                .add(product(usage.cacheWrite1h(), rates.cacheWrite1hFemtoUsd()))
                .add(product(usage.output(), rates.outputFemtoUsd()));
    }

    private static BigInteger product(long tokens, long femtoPerToken) {
        return BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(femtoPerToken));
    }
}
