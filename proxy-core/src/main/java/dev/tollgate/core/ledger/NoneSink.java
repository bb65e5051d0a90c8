package dev.tollgate.core.ledger;

import java.util.List;

/** {@code ledger.sink: none}: keeps nothing. */
final class NoneSink implements LedgerSink {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public void writeBatch(List<LedgerRecord> batch) {}

    @Override
    public void close() {}
}
