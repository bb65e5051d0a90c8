package dev.tollgate.server.ledger;

import static dev.tollgate.server.ledger.Records.varied;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.ledger.DailySpend;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.LedgerWriter;
import dev.tollgate.core.ledger.TimeRange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core writer on the SQLite sink: lock, spill, recovery and concurrency, counted before and after. */
class SqliteLedgerWriterTest {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    private static final TimeRange ALL = new TimeRange(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    private long count() throws Exception {
        long[] n = new long[1];
        try (SqliteLedgerReader reader = new SqliteLedgerReader(dir.resolve("ledger.db"))) {
            reader.scan(ALL, r -> n[0]++);
        }
        return n[0];
    }

    private static void await(CheckedCondition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void recordsWrittenWhileTheDatabaseIsLockedArriveOnceItIsReleased() throws Exception {
        Path db = dir.resolve("ledger.db");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LedgerMeters meters = LedgerMeters.register(registry, "sqlite");
        LedgerWriter writer = LedgerWriter.builder(new SqliteLedgerSink(db, Duration.ofMillis(20)), LedgerWriter.spillDirectoryFor(db))
                .stats(meters).batchSize(100).flushInterval(Duration.ofMillis(10))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).build().start();
        List<LedgerRecord> records = varied(2_000, NOV, 3);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db); Statement lock = other.createStatement()) {
            records.subList(0, 500).forEach(writer::offer);
            await(() -> registry.get("tollgate.ledger.records").counter().count() == 500);

            lock.execute("BEGIN EXCLUSIVE");
            records.subList(500, 1_500).forEach(writer::offer);
            await(() -> registry.get("tollgate.ledger.errors").counter().count() >= 2);
            assertThat(registry.get("tollgate.ledger.records").counter().count()).as("before: only what came before the lock").isEqualTo(500);
            lock.execute("COMMIT");
        }
        records.subList(1_500, 2_000).forEach(writer::offer);
        await(() -> registry.get("tollgate.ledger.records").counter().count() == 2_000);
        writer.close();

        assertThat(count()).as("after: every record, once").isEqualTo(2_000);
        assertThat(registry.get("tollgate.ledger.records").counter().count()).isEqualTo(2_000);
        assertThat(LedgerWriter.spillDirectoryFor(db).toFile().list()).as("spill replayed and emptied").isEmpty();
    }

    @Test
    void concurrentProducersLoseNothingAndAggregatesMatch() throws Exception {
        Path db = dir.resolve("ledger.db");
        LedgerWriter writer = LedgerWriter.builder(new SqliteLedgerSink(db), LedgerWriter.spillDirectoryFor(db))
                .batchSize(500).build().start();
        int threads = 8;
        int each = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch done = new CountDownLatch(threads);
        long[] expectedCost = new long[1];
        List<List<LedgerRecord>> perThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<LedgerRecord> mine = varied(each, NOV, 100 + t);
            mine.forEach(r -> expectedCost[0] += r.costNanoUsd());
            perThread.add(mine);
        }
        try {
            for (List<LedgerRecord> mine : perThread) {
                pool.execute(() -> {
                    mine.forEach(writer::offer);
                    done.countDown();
                });
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdown();
        }
        writer.close();

        assertThat(count()).isEqualTo(threads * each);
        try (SqliteLedgerReader reader = new SqliteLedgerReader(db)) {
            List<DailySpend> spend = reader.dailySpend(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-12-31"));
            assertThat(spend.stream().mapToLong(DailySpend::requests).sum()).isEqualTo(threads * each);
            assertThat(spend.stream().mapToLong(DailySpend::costNanoUsd).sum()).isEqualTo(expectedCost[0]);
        }
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean met() throws Exception;
    }
}
