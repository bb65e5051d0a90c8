package dev.tollgate.core.budget;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One budget's running state: the tally of its current period. When a request arrives in a later
 * period, a fresh tally replaces the old one with a compare-and-set, which is how a new window starts
 * from zero by itself. Requests admitted earlier keep a reference to their own period's tally, so they
 * settle there and never leak into the new period.
 */
final class BudgetState {

    final Budget budget;
    private final AtomicReference<@Nullable WindowTally> current;

    BudgetState(Budget budget) {
        this.budget = budget;
        this.current = new AtomicReference<>();
    }

    /**
     * The same (tenant, window) under a new configuration: shares the tally with {@code earlier}, so
     * spend, open holds and the settling of requests admitted before go on counting; only the limit
     * and action may differ.
     */
    BudgetState(Budget budget, BudgetState earlier) {
        this.budget = budget;
        this.current = earlier.current;
    }

    /**
     * The tally that counts a request made at {@code now}, starting a new period if {@code now} is past
     * the current one. An instant before the current period (a clock step back, a request that began
     * just before the turn of the period) counts in the current period: it never reopens a past one.
     */
    WindowTally tallyAt(Instant now) {
        for (;;) {
            WindowTally tally = current.get();
            if (tally != null && now.isBefore(tally.period.end())) {
                return tally;
            }
            WindowTally fresh = new WindowTally(budget.window().periodAt(now));
            if (current.compareAndSet(tally, fresh)) {
                return fresh;
            }
        }
    }

    /**
     * The tally that {@link #tallyAt} would use at {@code now}, without starting a new period; null when
     * {@code now} is past the current period (the next one has no spend yet).
     */
    @Nullable WindowTally peek(Instant now) {
        WindowTally tally = current.get();
        return tally != null && now.isBefore(tally.period.end()) ? tally : null;
    }

    /**
     * Adds spend recorded elsewhere (the ledger) to {@code period}: applied when it is the current
     * period or a later one, ignored (false) when it is already over.
     */
    boolean seed(BudgetPeriod period, long spentNanoUsd) {
        for (;;) {
            WindowTally tally = current.get();
            if (tally != null && tally.period.equals(period)) {
                tally.add(spentNanoUsd, 0);
                return true;
            }
            if (tally != null && period.start().isBefore(tally.period.start())) {
                return false;
            }
            WindowTally fresh = new WindowTally(period);
            if (current.compareAndSet(tally, fresh)) {
                fresh.add(spentNanoUsd, 0);
                return true;
            }
        }
    }
}
