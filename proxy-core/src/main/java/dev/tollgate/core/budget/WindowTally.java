package dev.tollgate.core.budget;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Spend and open holds of one budget in one period, in nano-USD. Both are single atomic words:
 * admission is one compare-and-set on {@link #committed}, settling two atomic adds.
 */
final class WindowTally {

    final BudgetPeriod period;
    /** Spend plus the holds of admitted requests that have not settled: what admission checks. */
    final AtomicLong committed = new AtomicLong();
    /** Settled spend only: what the spend gauge and the ledger report. */
    final AtomicLong spent = new AtomicLong();

    WindowTally(BudgetPeriod period) {
        this.period = period;
    }

    void add(long spentNanoUsd, long releasedHoldNanoUsd) {
        spent.addAndGet(spentNanoUsd);
        committed.addAndGet(spentNanoUsd - releasedHoldNanoUsd);
    }
}
