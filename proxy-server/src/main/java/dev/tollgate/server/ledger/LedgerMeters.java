package dev.tollgate.server.ledger;

import dev.tollgate.core.ledger.LedgerStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link LedgerStats} on Micrometer: {@code tollgate_ledger_records_total{sink}} and
 * {@code tollgate_ledger_errors_total{sink}} (CONTRACT §7). Both exist from start-up, at zero, so that
 * alert rules see them before the first failure. Records spilled or dropped are logged by the writer and
 * counted as errors; they have no metric of their own in the contract.
 */
public final class LedgerMeters implements LedgerStats {

    private final Counter records;
    private final Counter errors;

    private LedgerMeters(Counter records, Counter errors) {
        this.records = records;
        this.errors = errors;
    }

    /** Registers the two counters for {@code sink} (its {@link dev.tollgate.core.ledger.LedgerSink#name()}). */
    public static LedgerMeters register(MeterRegistry registry, String sink) {
        return new LedgerMeters(
                Counter.builder("tollgate.ledger.records")
                        .description("Ledger records stored by the sink")
                        .tag("sink", sink)
                        .register(registry),
                Counter.builder("tollgate.ledger.errors")
                        .description("Ledger failures: sink or spill writes, unreadable spill lines, prunes, lost records")
                        .tag("sink", sink)
                        .register(registry));
    }

    @Override
    public void recordsWritten(int count) {
        records.increment(count);
    }

    @Override
    public void error() {
        errors.increment();
    }
}
