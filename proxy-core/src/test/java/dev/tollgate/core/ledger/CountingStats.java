package dev.tollgate.core.ledger;

import java.util.concurrent.atomic.AtomicLong;

/** Counts what a writer reports. */
final class CountingStats implements LedgerStats {

    final AtomicLong written = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong spilled = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    @Override
    public void recordsWritten(int count) {
        written.addAndGet(count);
    }

    @Override
    public void error() {
        errors.incrementAndGet();
    }

    @Override
    public void spilled(int count) {
        spilled.addAndGet(count);
    }

    @Override
    public void dropped(int count) {
        dropped.addAndGet(count);
    }
}
