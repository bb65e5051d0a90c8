package dev.tollgate.core.ledger;

import dev.tollgate.core.exchange.ExchangeListener;
import dev.tollgate.core.exchange.ExchangeRecord;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Writes every finished request to a {@link LedgerSink}, off the event loop, in batches.
 *
 * <p>{@link #onExchange} only maps the record and puts it in a lock-free bounded queue (with the {@code none}
 * sink it only counts it); it never blocks
 * nor does I/O. One writer thread ({@code tollgate-ledger}) takes a batch when {@code batchSize} records
 * wait, or when the oldest has waited {@code flushInterval}. When the sink fails (a locked database, a full
 * disk, an unwritable file), the batch goes to append-only JSONL files in the spill directory, and so does
 * every later batch until the spill has been replayed into the sink, oldest first, once the sink works
 * again: nothing is dropped, and the order is kept. The spill also absorbs a sink that is merely too slow:
 * when the queue is more than half full, batches go to the spill instead of waiting for the sink, and when
 * it is full (the writer is stuck in a slow sink call), records go to a second bounded queue that the
 * writer empties into the spill first. Records are lost only when the sink and the spill directory both
 * fail long enough to fill both queues, or arrive after {@link #close()}; either is counted
 * ({@link LedgerStats#dropped}) and logged. Once a day the writer prunes records older than
 * {@code retentionDays}.
 *
 * <p>Every record handed over is either in the sink or in the spill directory once {@link #close()}
 * returns; the spill is replayed at the next start. A crash while a spill is being replayed may replay one
 * batch twice: the SQLite sink ignores such duplicates by {@code request_id}.
 *
 * <pre>{@code
 * Path ledger = Path.of("tollgate-ledger.db");
 * LedgerWriter writer = LedgerWriter.builder(new SqliteLedgerSink(ledger), LedgerWriter.spillDirectoryFor(ledger))
 *         .stats(meteredStats)              // tollgate_ledger_records_total / _errors_total
 *         .retentionDays(400)
 *         .build()
 *         .start();
 * exchangeListeners.add(writer);
 * ...
 * writer.close();                           // after the event loops stopped: flushes everything
 * }</pre>
 *
 * <p>Thread-safe: {@link #onExchange} from any thread; {@link #start} and {@link #close} once each.
 */
public final class LedgerWriter implements ExchangeListener, Closeable {

    private static final System.Logger LOG = System.getLogger(LedgerWriter.class.getName());
    private static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Starts building a writer.
     *
     * @param sink           where records are stored; the writer closes it
     * @param spillDirectory where records wait while the sink fails; created when first needed
     */
    public static Builder builder(LedgerSink sink, Path spillDirectory) {
        return new Builder(sink, spillDirectory);
    }

    /** The spill directory next to a ledger: {@code tollgate-ledger.db} gives {@code tollgate-ledger.db.spill}. */
    public static Path spillDirectoryFor(Path ledgerPath) {
        Path name = ledgerPath.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("ledger.path: '" + ledgerPath + "' (expected: a file name)");
        }
        return ledgerPath.resolveSibling(name + ".spill");
    }

    /**
     * Calls {@code action} for every record waiting in a spill directory, oldest first: records that are
     * not in the sink yet. Budgets add these to the sink's spend when they rebuild it at start-up; call it
     * before {@link #start()}.
     */
    public static void readSpill(Path spillDirectory, Consumer<LedgerRecord> action) throws IOException {
        Spill.readAll(spillDirectory, action);
    }

    private final boolean sinkKeepsNothing;
    private final BoundedQueue<LedgerRecord> queue;
    private final BoundedQueue<LedgerRecord> overflow;
    private final Delivery delivery;
    private final LedgerStats stats;
    private final LongSupplier ticker;
    private final int batchSize;
    private final int highWaterMark;
    private final long flushIntervalNanos;
    private final long closeTimeoutNanos;
    private final AtomicLong droppedSinceReport = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile @Nullable Thread thread;
    // Writer-thread state: when the writer first saw the oldest record still queued.
    private boolean waiting;
    private long waitingSinceNanos;

    private LedgerWriter(Builder b, Spill spill) {
        this.sinkKeepsNothing = b.sink instanceof NoneSink;
        this.queue = new BoundedQueue<>(b.queueCapacity);
        this.overflow = new BoundedQueue<>(b.overflowCapacity);
        this.stats = b.stats;
        this.ticker = b.ticker;
        this.batchSize = b.batchSize;
        this.highWaterMark = b.queueCapacity / 2;
        this.flushIntervalNanos = b.flushInterval.toNanos();
        this.closeTimeoutNanos = b.closeTimeout.toNanos();
        this.delivery = new Delivery(b.sink, spill, b.stats, b.ticker, b.clock, b.batchSize, b.retentionDays,
                b.minBackoff.toNanos(), b.maxBackoff.toNanos());
    }

    /** Starts the writer thread; returns this. */
    public LedgerWriter start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("ledger writer already started");
        }
        Thread t = new Thread(this::run, "tollgate-ledger");
        // A daemon, so a server that fails to start does not hang; a shutdown hook's close() still flushes,
        // since daemon threads run until the hooks end.
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    /** Queues the request's ledger record. Never blocks; any thread. */
    @Override
    public void onExchange(ExchangeRecord record) {
        if (sinkKeepsNothing && !closed) {
            // ledger.sink: none would count the record and forget it; count it now and skip building it.
            stats.recordsWritten(1);
            return;
        }
        offer(LedgerRecord.of(record));
    }

    /** Queues a record. Never blocks; any thread. */
    public void offer(LedgerRecord record) {
        if (closed) {
            lostAfterClose();
            return;
        }
        int size = queue.offer(record);
        if (size == batchSize) {
            wake();
        } else if (size == BoundedQueue.FULL) {
            if (overflow.offer(record) == BoundedQueue.FULL) {
                droppedSinceReport.incrementAndGet();
            }
            wake();
        }
    }

    /**
     * Flushes every queued record to the sink, or else to the spill directory, waiting at most the close
     * timeout for a failing sink, then closes the sink. Call it after the event loops stopped (on SIGTERM):
     * records offered after it are counted as dropped. Idempotent.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        Thread t = thread;
        if (t == null) {
            started.set(true);
            finish();
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(TimeUnit.NANOSECONDS.toMillis(closeTimeoutNanos) + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.log(Level.ERROR, "ledger: the writer did not finish within the close timeout; queued records may be lost");
        }
    }

    /**
     * One round of the writer's work: the overflow, then a batch of the queue if one is due, then retries,
     * replay and retention. Package-private so that tests can drive an unstarted writer with a fake ticker.
     *
     * @param flushAll take a batch even if it is small and young (shutdown)
     * @return whether records moved, so that another round may move more at once
     */
    boolean step(boolean flushAll) {
        reportDrops();
        boolean moved = false;
        // Records overflowed because the sink is not keeping up: straight to the spill, where they wait on disk.
        while (delivery.canAccept() && overflow.size() > 0) {
            delivery.deliver(overflow.drain(batchSize), true);
            moved = true;
        }
        // Above the high-water mark the same holds for the queue: shed it to the spill rather than wait.
        boolean shed = queue.size() > highWaterMark;
        if (delivery.canAccept() && queue.size() > 0) {
            long now = ticker.getAsLong();
            if (!waiting) {
                waiting = true;
                waitingSinceNanos = now;
            }
            // Every full batch now, so that while the spill is in use (cheap appends) the queue empties each round.
            while (delivery.canAccept() && queue.size() >= batchSize) {
                delivery.deliver(queue.drain(batchSize), shed);
                moved = true;
            }
            if (delivery.canAccept() && queue.size() > 0 && (flushAll || now - waitingSinceNanos >= flushIntervalNanos)) {
                delivery.deliver(queue.drain(batchSize), shed);
                moved = true;
            }
            // Records left behind are younger than the batch, but flushing them early is harmless.
            waiting = queue.size() > 0;
        }
        moved |= delivery.retry();
        return moved;
    }

    private void run() {
        while (!closing) {
            boolean moved;
            try {
                moved = step(false);
            } catch (RuntimeException e) {
                // A bug, not a sink failure (Delivery catches those): log it and keep the thread alive.
                stats.error();
                LOG.log(Level.ERROR, "ledger: writer step failed", e);
                moved = false;
            }
            if (!moved) {
                LockSupport.parkNanos(this, parkNanos());
            }
        }
        finish();
    }

    private void finish() {
        long deadline = ticker.getAsLong() + closeTimeoutNanos;
        try {
            while (ticker.getAsLong() - deadline < 0 && step(true)) {
                // Keep flushing while records move.
            }
        } catch (RuntimeException e) {
            stats.error();
            LOG.log(Level.ERROR, "ledger: flushing at close failed", e);
        }
        closed = true;
        List<LedgerRecord> rest = new ArrayList<>(overflow.drain(Integer.MAX_VALUE));
        rest.addAll(queue.drain(Integer.MAX_VALUE));
        delivery.finish(rest, deadline);
        reportDrops();
    }

    private long parkNanos() {
        long wait = flushIntervalNanos;
        if (waiting) {
            wait = flushIntervalNanos - (ticker.getAsLong() - waitingSinceNanos);
        }
        return Math.max(MIN_PARK_NANOS, Math.min(wait, delivery.nanosUntilRetry()));
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void reportDrops() {
        long lost = droppedSinceReport.getAndSet(0);
        if (lost > 0) {
            stats.error();
            stats.dropped((int) Math.min(Integer.MAX_VALUE, lost));
            LOG.log(Level.ERROR, "ledger: " + lost + " records lost: the queue and its overflow are full because"
                    + " neither the sink nor the spill directory takes records");
        }
    }

    private void lostAfterClose() {
        // Rare (a request finishing during shutdown), so it is reported from the caller's thread.
        stats.error();
        stats.dropped(1);
        LOG.log(Level.ERROR, "ledger: a record arrived after the ledger was closed and is lost");
    }

    /** Configures a {@link LedgerWriter}; every setting has a default except the sink and spill directory. */
    public static final class Builder {
        private final LedgerSink sink;
        private final Path spillDirectory;
        private LedgerStats stats = LedgerStats.NOOP;
        private Clock clock = Clock.systemUTC();
        private LongSupplier ticker = System::nanoTime;
        private int batchSize = 500;
        private Duration flushInterval = Duration.ofMillis(200);
        private int queueCapacity = 65_536;
        private int overflowCapacity = 65_536;
        private int retentionDays;
        private Duration minBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(20);
        private long spillSegmentBytes = 8L << 20;

        private Builder(LedgerSink sink, Path spillDirectory) {
            this.sink = sink;
            this.spillDirectory = spillDirectory;
        }

        /** Counters for the ledger metrics; default none. */
        public Builder stats(LedgerStats stats) {
            this.stats = stats;
            return this;
        }

        /** The wall clock that decides the day, for retention; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** A {@code System::nanoTime} stand-in for batching and back-off, for tests. */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = ticker;
            return this;
        }

        /** Most records per sink call, and how many waiting records make a batch at once; default 500. */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive("batchSize", batchSize);
            return this;
        }

        /** How long a record may wait for a batch to fill; default 200 ms. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = positive("flushInterval", flushInterval);
            return this;
        }

        /** The queue's bound; default 65536. The overflow queue has its own bound, by default the same. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = positive("queueCapacity", queueCapacity);
            return this;
        }

        /** The bound of the queue that takes records when the main queue is full; default 65536. */
        public Builder overflowCapacity(int overflowCapacity) {
            this.overflowCapacity = positive("overflowCapacity", overflowCapacity);
            return this;
        }

        /** {@code ledger.retention_days}: prune records older than this many days; 0 (default) keeps all. */
        public Builder retentionDays(int retentionDays) {
            if (retentionDays < 0) {
                throw new IllegalArgumentException("retentionDays: " + retentionDays + " (expected: >= 0)");
            }
            this.retentionDays = retentionDays;
            return this;
        }

        /** The wait before retrying a failed sink or spill, doubling up to {@code max}; default 250 ms to 30 s. */
        public Builder retryBackoff(Duration min, Duration max) {
            positive("retryBackoff min", min);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("retryBackoff max: " + max + " (expected: >= " + min + ")");
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** How long {@link #close()} keeps trying a failing sink before leaving records in the spill; default 20 s. */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = positive("closeTimeout", closeTimeout);
            return this;
        }

        /** Size at which a spill segment is closed and a new one begun; default 8 MiB. */
        Builder spillSegmentBytes(long bytes) {
            this.spillSegmentBytes = bytes;
            return this;
        }

        /**
         * Builds an unstarted writer, finding records a previous run left in the spill directory.
         *
         * @throws IOException when the spill directory exists but cannot be listed
         */
        public LedgerWriter build() throws IOException {
            Spill spill = new Spill(spillDirectory, spillSegmentBytes, why -> {
                stats.error();
                LOG.log(Level.ERROR, "ledger: spill: " + why);
            });
            return new LedgerWriter(this, spill);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
