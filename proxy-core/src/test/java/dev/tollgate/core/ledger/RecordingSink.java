package dev.tollgate.core.ledger;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Keeps what it is given; fails while told to. Thread-safe so that tests can read it while a writer runs. */
final class RecordingSink implements LedgerSink {

    private final List<List<LedgerRecord>> batches = new ArrayList<>();
    private final List<Instant> prunes = new ArrayList<>();
    private int failuresLeft;
    private boolean failing;
    private int failedCalls;
    private boolean closed;

    /** Fails the next {@code n} calls, then works. */
    synchronized RecordingSink failNext(int n) {
        failuresLeft = n;
        return this;
    }

    /** Fails every call until told otherwise. */
    synchronized RecordingSink failing(boolean failing) {
        this.failing = failing;
        return this;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public synchronized void writeBatch(List<LedgerRecord> batch) throws IOException {
        if (failing || failuresLeft > 0) {
            failuresLeft = Math.max(0, failuresLeft - 1);
            failedCalls++;
            throw new IOException("database is locked (test)");
        }
        batches.add(List.copyOf(batch));
    }

    @Override
    public synchronized void prune(Instant cutoff) {
        prunes.add(cutoff);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized List<List<LedgerRecord>> batches() {
        return List.copyOf(batches);
    }

    synchronized List<LedgerRecord> records() {
        List<LedgerRecord> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return all;
    }

    synchronized List<String> ids() {
        return records().stream().map(LedgerRecord::requestId).toList();
    }

    synchronized List<Instant> prunes() {
        return List.copyOf(prunes);
    }

    synchronized int failedCalls() {
        return failedCalls;
    }

    synchronized boolean closed() {
        return closed;
    }
}
