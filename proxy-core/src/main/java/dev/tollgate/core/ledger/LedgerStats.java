package dev.tollgate.core.ledger;

/**
 * Counters that {@link LedgerWriter} reports to, from its own thread (and from the caller's for a record
 * that arrives after close, or that the {@code none} sink would only have counted). The server binds them to
 * {@code tollgate_ledger_records_total{sink}} and {@code tollgate_ledger_errors_total{sink}}, the sink
 * label being {@link LedgerSink#name()}. Implementations must not block and must not throw.
 */
public interface LedgerStats {

    /** Counts nothing. */
    LedgerStats NOOP = new LedgerStats() {
        @Override
        public void recordsWritten(int count) {}

        @Override
        public void error() {}
    };

    /** {@code count} records were stored by the sink (directly or replayed from the spill). */
    void recordsWritten(int count);

    /**
     * One failure: a batch the sink refused, a spill file that could not be written or read, a spill line
     * that could not be parsed, a failed retention prune, or records dropped.
     */
    void error();

    /** {@code count} records were written to the spill directory to wait for the sink. */
    default void spilled(int count) {}

    /**
     * {@code count} records were lost: both the sink and the spill directory failed for so long that the
     * in-memory bound was reached, or records arrived after {@link LedgerWriter#close()}. Each call is
     * also counted as an {@link #error()} and logged.
     */
    default void dropped(int count) {}
}
