package dev.tollgate.core.budget;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Spend and open holds of one budget in one period, in nano-USD. Both are single atomic words:
 * admission is one compare-and-set on {@link #committed}, settling two atomic adds.
 *
 * <p>Every request of a tenant writes these words, from whichever event loop serves it. They live in
 * an array padded by two cache lines on each side (x86 fetches lines in adjacent pairs), so that no
 * other tenant's words, nor anything read on every request, can share their lines: with plain
 * neighbouring {@code AtomicLong}s, two threads serving different tenants slowed each other down to
 * below one thread's throughput (false sharing; {@code BudgetBenchmark}, see bench/README.md).
 */
final class WindowTally {

    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 16; // longs: two 64-byte cache lines
    private static final int COMMITTED = PAD;
    private static final int SPENT = PAD + 1;

    final BudgetPeriod period;
    private final long[] words = new long[PAD + 2 + PAD];

    WindowTally(BudgetPeriod period) {
        this.period = period;
    }

    /** Spend plus the holds of admitted requests that have not settled: what admission checks. */
    long committed() {
        return (long) WORD.getVolatile(words, COMMITTED);
    }

    /** Settled spend only: what the spend gauge and the ledger report. */
    long spent() {
        return (long) WORD.getVolatile(words, SPENT);
    }

    /** Sets {@link #committed} to {@code next} if it is still {@code expected}. */
    boolean compareAndSetCommitted(long expected, long next) {
        return WORD.compareAndSet(words, COMMITTED, expected, next);
    }

    /** Gives back a hold that was taken ({@code delta} negative) or adds to {@link #committed}. */
    void addCommitted(long delta) {
        WORD.getAndAdd(words, COMMITTED, delta);
    }

    /** Records settled spend and drops the hold it replaces. */
    void add(long spentNanoUsd, long releasedHoldNanoUsd) {
        WORD.getAndAdd(words, SPENT, spentNanoUsd);
        WORD.getAndAdd(words, COMMITTED, spentNanoUsd - releasedHoldNanoUsd);
    }
}
