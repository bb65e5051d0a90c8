package dev.tollgate.core.ledger;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link LedgerWriter}'s batches go: the sink when nothing waits before them, else the spill; the
 * spill is replayed into the sink once it works again, oldest first. A batch neither could take is held in
 * memory and retried. Failed sinks and spills are retried after a doubling back-off. Also runs retention.
 *
 * <p>Single-threaded and synchronous (the writer thread, or a test), so tests drive it with a fake ticker.
 */
final class Delivery {

    private static final System.Logger LOG = System.getLogger(LedgerWriter.class.getName());
    private static final long PRUNE_RETRY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final LedgerSink sink;
    private final Spill spill;
    private final LedgerStats stats;
    private final LongSupplier ticker;
    private final Clock clock;
    private final int batchSize;
    private final int retentionDays;
    private final Backoff sinkBackoff;
    private final Backoff spillBackoff;
    private final ArrayDeque<Batch> held = new ArrayDeque<>();
    private final ThrottledLog sinkLog;
    private final ThrottledLog spillLog;
    private @Nullable LocalDate prunedDay;
    private long pruneRetryAtNanos;
    private boolean pruneFailed;

    Delivery(LedgerSink sink, Spill spill, LedgerStats stats, LongSupplier ticker, Clock clock, int batchSize,
            int retentionDays, long minBackoffNanos, long maxBackoffNanos) {
        this.sink = sink;
        this.spill = spill;
        this.stats = stats;
        this.ticker = ticker;
        this.clock = clock;
        this.batchSize = batchSize;
        this.retentionDays = retentionDays;
        this.sinkBackoff = new Backoff(minBackoffNanos, maxBackoffNanos);
        this.spillBackoff = new Backoff(minBackoffNanos, maxBackoffNanos);
        this.sinkLog = new ThrottledLog(LOG, ticker, LOG_INTERVAL_NANOS);
        this.spillLog = new ThrottledLog(LOG, ticker, LOG_INTERVAL_NANOS);
    }

    /** Whether new batches may come: false while a batch neither the sink nor the spill took is held. */
    boolean canAccept() {
        return held.isEmpty();
    }

    /**
     * Takes a batch, to go after every earlier one.
     *
     * @param spillFirst put it in the spill even if the sink is healthy, because the sink is not keeping up
     *                   (the writer's queue is full or filling): the spill absorbs the burst on disk, and the
     *                   sink gets it through replay
     */
    void deliver(List<LedgerRecord> batch, boolean spillFirst) {
        held.addLast(new Batch(batch, spillFirst));
        drainHeld();
    }

    /**
     * The background work that is due: held batches, one replayed chunk of the spill, retention.
     *
     * @return whether it moved records, so that calling again may move more
     */
    boolean retry() {
        boolean moved = false;
        if (!held.isEmpty()) {
            int before = held.size();
            drainHeld();
            moved = held.size() < before;
        }
        if (spill.hasPending() && sinkBackoff.ready(ticker.getAsLong())) {
            moved |= replayOne();
        }
        pruneIfDue();
        return moved;
    }

    /** Nanoseconds until a back-off ends that work waits for; {@link Long#MAX_VALUE} when none does. */
    long nanosUntilRetry() {
        long now = ticker.getAsLong();
        long wait = Long.MAX_VALUE;
        if ((spill.hasPending() || !held.isEmpty()) && !sinkBackoff.ready(now)) {
            wait = sinkBackoff.remaining(now);
        }
        if (!held.isEmpty() && !spillBackoff.ready(now)) {
            wait = Math.min(wait, spillBackoff.remaining(now));
        }
        return wait;
    }

    /**
     * The last chance before shutdown: every waiting record goes to the sink, or else stays in the spill
     * on disk for the next start, until {@code deadlineNanos}. Held batches that cannot be placed
     * anywhere are counted as dropped. Then the spill and the sink are closed.
     *
     * @param rest records never delivered (the writer's queue), appended after everything else
     */
    void finish(List<LedgerRecord> rest, long deadlineNanos) {
        for (int i = 0; i < rest.size(); i += batchSize) {
            held.addLast(new Batch(List.copyOf(rest.subList(i, Math.min(rest.size(), i + batchSize))), false));
        }
        sinkBackoff.reset();
        spillBackoff.reset();
        drainHeld();
        while (spill.hasPending() && sinkBackoff.ready(ticker.getAsLong()) && ticker.getAsLong() - deadlineNanos < 0) {
            replayOne();
        }
        spillBackoff.reset();
        drainHeld();
        int lost = 0;
        for (Batch batch : held) {
            lost += batch.records.size();
        }
        if (lost > 0) {
            stats.error();
            stats.dropped(lost);
            LOG.log(Level.ERROR, "ledger: " + lost + " records lost at shutdown: neither the "
                    + sink.name() + " sink nor the spill directory would take them");
            held.clear();
        }
        try {
            spill.close();
        } catch (IOException e) {
            stats.error();
            LOG.log(Level.ERROR, "ledger: closing the spill failed", e);
        }
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            stats.error();
            LOG.log(Level.ERROR, "ledger: closing the " + sink.name() + " sink failed", e);
        }
    }

    private void drainHeld() {
        while (!held.isEmpty()) {
            Batch batch = held.getFirst();
            long now = ticker.getAsLong();
            boolean placed = batch.spillFirst
                    ? trySpill(batch.records, now) || trySink(batch.records, now)
                    : trySink(batch.records, now) || trySpill(batch.records, now);
            if (!placed) {
                return;
            }
            held.removeFirst();
        }
    }

    /** Writes to the sink unless records wait in the spill (they go first) or the sink is backing off. */
    private boolean trySink(List<LedgerRecord> records, long now) {
        return !spill.hasPending() && sinkBackoff.ready(now) && writeToSink(records);
    }

    private boolean trySpill(List<LedgerRecord> records, long now) {
        return spillBackoff.ready(now) && appendToSpill(records);
    }

    private boolean replayOne() {
        Spill.Chunk chunk;
        try {
            chunk = spill.next(batchSize);
        } catch (IOException e) {
            stats.error();
            // Reading failed, not the sink: still wait before trying again, rather than spin.
            sinkBackoff.failed(ticker.getAsLong());
            spillLog.log(Level.ERROR, "ledger: reading the spill failed; retrying", e);
            return false;
        }
        if (!chunk.records().isEmpty() && !writeToSink(chunk.records())) {
            return false;
        }
        try {
            spill.commit(chunk);
        } catch (IOException e) {
            stats.error();
            spillLog.log(Level.WARNING, "ledger: could not record replay progress in the spill directory;"
                    + " a restart may replay some records twice", e);
        }
        return true;
    }

    private boolean writeToSink(List<LedgerRecord> batch) {
        try {
            sink.writeBatch(batch);
        } catch (IOException | RuntimeException e) {
            // RuntimeException too: a sink is a plug-in, and its bug must cost a retry, not the writer thread.
            stats.error();
            sinkBackoff.failed(ticker.getAsLong());
            sinkLog.log(Level.ERROR, "ledger: the " + sink.name() + " sink failed; records wait in the spill"
                    + " directory until it recovers", e);
            return false;
        }
        stats.recordsWritten(batch.size());
        if (sinkBackoff.reset()) {
            LOG.log(Level.INFO, "ledger: the " + sink.name() + " sink recovered");
        }
        return true;
    }

    private boolean appendToSpill(List<LedgerRecord> batch) {
        try {
            spill.append(batch);
        } catch (IOException e) {
            stats.error();
            spillBackoff.failed(ticker.getAsLong());
            spillLog.log(Level.ERROR, "ledger: the spill directory failed too; " + batch.size()
                    + " records are held in memory", e);
            return false;
        }
        stats.spilled(batch.size());
        spillBackoff.reset();
        return true;
    }

    private void pruneIfDue() {
        if (retentionDays <= 0) {
            return;
        }
        LocalDate today = TimeRange.day(clock.instant());
        long now = ticker.getAsLong();
        if (today.equals(prunedDay) || (pruneFailed && now - pruneRetryAtNanos < 0) || !sinkBackoff.ready(now)) {
            return;
        }
        try {
            sink.prune(TimeRange.startOf(today.minusDays(retentionDays)));
            prunedDay = today;
            pruneFailed = false;
        } catch (IOException | RuntimeException e) {
            stats.error();
            pruneFailed = true;
            pruneRetryAtNanos = now + PRUNE_RETRY_NANOS;
            LOG.log(Level.WARNING, "ledger: retention prune of the " + sink.name() + " sink failed; retrying in an hour", e);
        }
    }

    /** A batch on its way, and whether it should rather go to the spill. */
    private record Batch(List<LedgerRecord> records, boolean spillFirst) {}

    /** A doubling wait after failures, from {@code min} up to {@code max}. */
    private static final class Backoff {
        private final long minNanos;
        private final long maxNanos;
        private long currentNanos;
        private long retryAtNanos;

        Backoff(long minNanos, long maxNanos) {
            this.minNanos = minNanos;
            this.maxNanos = maxNanos;
        }

        boolean ready(long now) {
            return currentNanos == 0 || now - retryAtNanos >= 0;
        }

        long remaining(long now) {
            return Math.max(0, retryAtNanos - now);
        }

        void failed(long now) {
            currentNanos = currentNanos == 0 ? minNanos : Math.min(maxNanos, currentNanos * 2);
            retryAtNanos = now + currentNanos;
        }

        /** Ends the back-off; returns whether there was one. */
        boolean reset() {
            boolean was = currentNanos != 0;
            currentNanos = 0;
            return was;
        }
    }
}
