package dev.tollgate.core.ledger;

import dev.tollgate.core.pricing.UsdFormat;

/**
 * The value columns of one report row: sums over its records, exact ({@code long}, overflow is an error).
 *
 * @param requests          how many records
 * @param inputTokens       summed {@code input_tokens}
 * @param cachedInputTokens summed {@code cached_input_tokens}
 * @param cacheWriteTokens  summed {@code cache_write_tokens}
 * @param outputTokens      summed {@code output_tokens}
 * @param costNanoUsd       summed {@code cost_nano_usd}
 */
public record UsageTotals(
        long requests, long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens, long costNanoUsd) {

    /** No records. */
    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0);

    /** The {@code cost_usd} column: USD with exactly 9 decimal places, e.g. {@code 12.000160200}. */
    public String costUsd() {
        return UsdFormat.nanoToDecimal(costNanoUsd);
    }

    /** These totals with one more record added. */
    public UsageTotals plus(LedgerRecord r) {
        return new UsageTotals(
                Math.addExact(requests, 1),
                Math.addExact(inputTokens, r.inputTokens()),
                Math.addExact(cachedInputTokens, r.cachedInputTokens()),
                Math.addExact(cacheWriteTokens, r.cacheWriteTokens()),
                Math.addExact(outputTokens, r.outputTokens()),
                Math.addExact(costNanoUsd, r.costNanoUsd()));
    }

    /** The sum of two totals. */
    public UsageTotals plus(UsageTotals o) {
        return new UsageTotals(
                Math.addExact(requests, o.requests),
                Math.addExact(inputTokens, o.inputTokens),
                Math.addExact(cachedInputTokens, o.cachedInputTokens),
                Math.addExact(cacheWriteTokens, o.cacheWriteTokens),
                Math.addExact(outputTokens, o.outputTokens),
                Math.addExact(costNanoUsd, o.costNanoUsd));
    }
}
