package dev.tollgate.core.ledger;

import static dev.tollgate.core.ledger.TestRecords.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.PriceSource;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.TokenUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer driven by hand: an unstarted writer whose rounds ({@code step}) the test runs, with a fake
 * ticker and clock, so that nothing depends on the scheduler.
 */
class LedgerWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path dir;

    private final AtomicLong ticker = new AtomicLong(1_000_000_000L);
    private final MutableClock clock = new MutableClock(T0);
    private final RecordingSink sink = new RecordingSink();
    private final CountingStats stats = new CountingStats();

    private LedgerWriter.Builder writer() {
        return LedgerWriter.builder(sink, dir.resolve("spill"))
                .stats(stats).ticker(ticker::get).clock(clock)
                .batchSize(500).flushInterval(Duration.ofMillis(200))
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(400));
    }

    private void advance(long millis) {
        ticker.addAndGet(millis * MS);
    }

    /** Runs rounds until one moves nothing. */
    private static void settle(LedgerWriter w) {
        for (int i = 0; i < 10_000 && w.step(false); i++) {
            // keep going
        }
    }

    @Test
    void fullBatchesGoAtOnceAndTheRestAfterTheInterval() throws IOException {
        LedgerWriter w = writer().build();
        sequence(1200, T0).forEach(w::offer);

        assertThat(w.step(false)).isTrue();
        assertThat(w.step(false)).as("200 records are not a batch yet").isFalse();
        assertThat(sink.batches()).extracting(List::size).containsExactly(500, 500);

        advance(200);
        assertThat(w.step(false)).isTrue();
        assertThat(sink.batches()).extracting(List::size).containsExactly(500, 500, 200);
        assertThat(sink.ids()).isEqualTo(sequence(1200, T0).stream().map(LedgerRecord::requestId).toList());
        assertThat(stats.written).hasValue(1200);
        assertThat(stats.errors).hasValue(0);
    }

    @Test
    void aFewRecordsWaitTheFlushIntervalAndNoLonger() throws IOException {
        LedgerWriter w = writer().build();
        sequence(3, T0).forEach(w::offer);

        w.step(false);
        advance(199);
        w.step(false);
        assertThat(sink.batches()).isEmpty();

        advance(1);
        w.step(false);
        assertThat(sink.batches()).extracting(List::size).containsExactly(3);
    }

    @Test
    void aFailingSinkLosesNothingAndGetsEverythingInOrderOnceItRecovers() throws IOException {
        sink.failNext(3);
        LedgerWriter w = writer().batchSize(100).build();
        List<LedgerRecord> all = sequence(1000, T0);

        for (int i = 0; i < 10; i++) {
            all.subList(i * 100, i * 100 + 100).forEach(w::offer);
            settle(w);
            advance(150);
        }
        for (int i = 0; i < 20; i++) {
            settle(w);
            advance(500);
        }

        assertThat(sink.ids()).as("each record once, in arrival order").isEqualTo(all.stream().map(LedgerRecord::requestId).toList());
        assertThat(sink.failedCalls()).isEqualTo(3);
        assertThat(stats.errors).as("one per failed batch").hasValue(3);
        assertThat(stats.written).hasValue(1000);
        assertThat(stats.spilled.get()).as("batches that came while the sink was failing waited in the spill").isPositive();
        assertThat(spillSegments()).as("replayed segments are deleted").isEmpty();
    }

    @Test
    void whileTheSinkBacksOffNewBatchesQueueBehindTheSpill() throws IOException {
        sink.failing(true);
        LedgerWriter w = writer().batchSize(10).build();
        sequence(10, T0).forEach(w::offer);
        settle(w);
        assertThat(stats.spilled).hasValue(10);

        sink.failing(false);
        sequence(20, T0.plusSeconds(100)).subList(10, 20).forEach(w::offer);
        settle(w);
        assertThat(sink.records()).as("the sink is in back-off: the new batch goes behind the spilled one").isEmpty();
        assertThat(stats.spilled).hasValue(20);

        advance(100);
        settle(w);
        assertThat(sink.ids()).containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
                "r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17", "r18", "r19");
    }

    @Test
    void aFullQueueOverflowsToTheSpillAndIsReplayed() throws IOException {
        LedgerWriter w = writer().batchSize(10).queueCapacity(20).overflowCapacity(100).build();
        List<LedgerRecord> all = sequence(60, T0);

        all.forEach(w::offer);
        w.step(false);
        assertThat(stats.dropped).hasValue(0);
        assertThat(stats.spilled).as("the 40 that overflowed, then the queue behind them").hasValue(60);
        assertThat(sink.records()).as("the spill is replayed a batch per round").hasSize(10);

        settle(w);
        assertThat(sink.ids()).hasSize(60).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all.stream().map(LedgerRecord::requestId).toList());
        assertThat(spillSegments()).isEmpty();
        assertThat(stats.errors).hasValue(0);
    }

    @Test
    void aQueueAboveHalfFullIsShedToTheSpillInOrder() throws IOException {
        LedgerWriter w = writer().batchSize(10).queueCapacity(100).build();
        List<LedgerRecord> all = sequence(60, T0);

        all.forEach(w::offer);
        w.step(false);
        assertThat(stats.spilled).hasValue(60);

        settle(w);
        assertThat(sink.ids()).isEqualTo(all.stream().map(LedgerRecord::requestId).toList());
        assertThat(spillSegments()).isEmpty();
    }

    @Test
    void aFailingSinkWithAFullQueueStillLosesNothing() throws IOException {
        sink.failing(true);
        LedgerWriter w = writer().batchSize(10).queueCapacity(10).overflowCapacity(100).build();
        List<LedgerRecord> all = sequence(60, T0);

        all.forEach(w::offer);
        settle(w);
        assertThat(stats.spilled).hasValue(60);

        sink.failing(false);
        advance(400);
        settle(w);
        assertThat(sink.ids()).hasSize(60).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all.stream().map(LedgerRecord::requestId).toList());
    }

    @Test
    void beyondBothBoundsRecordsAreCountedAsDroppedNotSilentlyLost() throws IOException {
        LedgerWriter w = writer().queueCapacity(10).overflowCapacity(10).build();

        sequence(25, T0).forEach(w::offer);
        w.step(false);

        assertThat(stats.dropped).hasValue(5);
        assertThat(stats.errors).hasValue(1);
    }

    @Test
    void whenTheSpillFailsTooBatchesAreHeldAndRetried() throws IOException {
        sink.failing(true);
        LedgerWriter w = writer().batchSize(10).build();
        Files.writeString(dir.resolve("spill"), "a file where the spill directory should be");
        sequence(30, T0).forEach(w::offer);

        settle(w);
        assertThat(sink.records()).isEmpty();
        assertThat(stats.errors).as("the sink and the spill failed").hasValue(2);

        Files.delete(dir.resolve("spill"));
        sink.failing(false);
        for (int i = 0; i < 10; i++) {
            advance(400);
            settle(w);
        }
        assertThat(sink.ids()).isEqualTo(sequence(30, T0).stream().map(LedgerRecord::requestId).toList());
    }

    @Test
    void closeFlushesWhatIsQueuedAndClosesTheSink() throws IOException {
        LedgerWriter w = writer().flushInterval(Duration.ofHours(1)).build().start();
        sequence(7, T0).forEach(w::offer);

        w.close();

        assertThat(sink.ids()).hasSize(7);
        assertThat(sink.closed()).isTrue();
        w.offer(TestRecords.record("late", T0, "acme", "m", 1));
        assertThat(stats.dropped).as("after close, counted as lost").hasValue(1);
    }

    @Test
    void closeWithADeadSinkLeavesRecordsInTheSpillForTheNextStart() throws IOException {
        sink.failing(true);
        LedgerWriter first = writer().closeTimeout(Duration.ofMillis(50)).build();
        sequence(42, T0).forEach(first::offer);
        first.close();
        assertThat(sink.records()).isEmpty();
        assertThat(spillSegments()).isNotEmpty();

        List<String> waiting = new ArrayList<>();
        LedgerWriter.readSpill(dir.resolve("spill"), r -> waiting.add(r.requestId()));
        assertThat(waiting).as("budgets can count what waits").hasSize(42);

        sink.failing(false);
        LedgerWriter second = writer().build();
        settle(second);
        assertThat(sink.ids()).isEqualTo(sequence(42, T0).stream().map(LedgerRecord::requestId).toList());
        assertThat(spillSegments()).isEmpty();
    }

    @Test
    void aCrashDuringReplayResumesAfterTheLastCommittedBatch() throws IOException {
        sink.failing(true);
        LedgerWriter first = writer().batchSize(10).closeTimeout(Duration.ofMillis(50)).build();
        sequence(30, T0).forEach(first::offer);
        first.close();

        // Replay one batch of the spill, then "crash" (drop the writer without closing it).
        sink.failing(false);
        LedgerWriter second = writer().batchSize(10).build();
        second.step(false);
        assertThat(sink.ids()).hasSize(10);

        LedgerWriter third = writer().batchSize(10).build();
        settle(third);
        assertThat(sink.ids()).as("nothing twice, nothing lost").isEqualTo(
                sequence(30, T0).stream().map(LedgerRecord::requestId).toList());
    }

    @Test
    void unreadableSpillLinesAreMovedAsideAndCounted() throws IOException {
        Path spill = dir.resolve("spill");
        Files.createDirectories(spill);
        String good = LedgerJson.write(TestRecords.record("ok1", T0, "acme", "m", 1));
        Files.writeString(spill.resolve("spill-0000000000000000007.jsonl"), good + "\n{\"torn\":\n" + good.replace("ok1", "ok2"));

        LedgerWriter w = writer().build();
        settle(w);

        assertThat(sink.ids()).containsExactly("ok1", "ok2");
        assertThat(stats.errors).hasValue(1);
        assertThat(Files.readString(spill.resolve(Spill.CORRUPT_FILE))).isEqualTo("{\"torn\":\n");
    }

    @Test
    void aSegmentDeletedByHandDoesNotBlockTheSpill() throws IOException {
        sink.failing(true);
        LedgerWriter w = writer().batchSize(10).build();
        sequence(10, T0).forEach(w::offer);
        settle(w);
        for (Path segment : spillSegments()) {
            Files.delete(segment);
        }

        sink.failing(false);
        advance(100);
        sequence(20, T0).subList(10, 20).forEach(w::offer);
        settle(w);

        assertThat(sink.ids()).containsExactly("r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17", "r18", "r19");
        assertThat(spillSegments()).isEmpty();
    }

    @Test
    void aPositionPastTheEndReplaysTheWholeSegment() throws IOException {
        Path spill = dir.resolve("spill");
        Files.createDirectories(spill);
        StringBuilder lines = new StringBuilder();
        sequence(3, T0).forEach(r -> lines.append(LedgerJson.write(r)).append('\n'));
        Files.writeString(spill.resolve("spill-0000000000000000001.jsonl"), lines);
        Files.writeString(spill.resolve("spill-0000000000000000001.pos"), "999999");

        List<String> waiting = new ArrayList<>();
        LedgerWriter.readSpill(spill, r -> waiting.add(r.requestId()));
        settle(writer().build());

        assertThat(waiting).containsExactly("r0", "r1", "r2");
        assertThat(sink.ids()).containsExactly("r0", "r1", "r2");
    }

    @Test
    void retentionPrunesOncePerUtcDay() throws IOException {
        LedgerWriter w = writer().retentionDays(400).build();

        w.step(false);
        w.step(false);
        assertThat(sink.prunes()).containsExactly(Instant.parse("2025-10-23T00:00:00Z"));

        clock.set(Instant.parse("2026-11-28T00:00:01Z"));
        w.step(false);
        assertThat(sink.prunes()).containsExactly(Instant.parse("2025-10-23T00:00:00Z"), Instant.parse("2025-10-24T00:00:00Z"));
    }

    @Test
    void noRetentionMeansNoPrune() throws IOException {
        LedgerWriter w = writer().build();
        w.step(false);
        assertThat(sink.prunes()).isEmpty();
    }

    @Test
    void theWriterThreadBatchesByCountWithoutWaitingForTheInterval() throws Exception {
        LedgerWriter w = LedgerWriter.builder(sink, dir.resolve("spill")).stats(stats)
                .batchSize(100).flushInterval(Duration.ofHours(1)).build().start();
        try {
            sequence(1000, T0).forEach(w::offer);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sink.records().size() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(sink.batches()).hasSize(10).allSatisfy(b -> assertThat(b).hasSize(100));
        } finally {
            w.close();
        }
    }

    @Test
    void theWriterThreadFlushesASmallBatchAfterTheInterval() throws Exception {
        LedgerWriter w = LedgerWriter.builder(sink, dir.resolve("spill")).stats(stats)
                .batchSize(100).flushInterval(Duration.ofMillis(20)).build().start();
        try {
            sequence(3, T0).forEach(w::offer);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sink.records().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(sink.batches()).extracting(List::size).containsExactly(3);
        } finally {
            w.close();
        }
    }

    @Test
    void theNoneSinkCountsEachExchangeAtOnceAndQueuesNothing() throws IOException {
        LedgerWriter w = LedgerWriter.builder(LedgerSink.none(), dir.resolve("spill")).stats(stats).build();

        for (int i = 0; i < 3; i++) {
            w.onExchange(exchange("r" + i));
        }

        assertThat(stats.written).hasValue(3);
        assertThat(w.step(true)).as("nothing was queued").isFalse();
        w.close();
        w.onExchange(exchange("late"));
        assertThat(stats.written).hasValue(3);
        assertThat(stats.dropped).as("after close, as with any sink").hasValue(1);
    }

    private static ExchangeRecord exchange(String id) {
        return new ExchangeRecord(id, T0, T0.plusMillis(250), TenantId.of("acme"), Map.of(), "/openai", ProviderKind.OPENAI,
                Endpoint.CHAT_COMPLETIONS, "gpt-4o-mini", "gpt-4o-mini", false, 200, Outcome.OK, TokenUsage.ZERO, false, 0,
                PriceSource.CATALOG, -1, 250_000_000, 245_000_000, 1_000_000);
    }

    private List<Path> spillSegments() throws IOException {
        Path spill = dir.resolve("spill");
        if (!Files.isDirectory(spill)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spill)) {
            return files.filter(p -> p.getFileName().toString().startsWith("spill-")).toList();
        }
    }
}
