package dev.tollgate.core.ledger;

import static dev.tollgate.core.ledger.TestRecords.record;
import static dev.tollgate.core.ledger.TestRecords.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T23:59:59.900Z"));

    @Test
    void rotatesAtUtcMidnight() throws IOException {
        try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"), clock)) {
            sink.writeBatch(List.of(record("a", Instant.parse("2026-11-27T23:59:59.000Z"), "acme", "m", 1)));
            clock.set(Instant.parse("2026-11-28T00:00:00.100Z"));
            sink.writeBatch(List.of(record("b", Instant.parse("2026-11-27T23:59:59.950Z"), "acme", "m", 2),
                    record("c", Instant.parse("2026-11-28T00:00:00.050Z"), "acme", "m", 3)));
        }

        assertThat(files()).containsExactly("ledger-2026-11-27.jsonl", "ledger-2026-11-28.jsonl");
        assertThat(ids("ledger-2026-11-27.jsonl")).containsExactly("a");
        assertThat(ids("ledger-2026-11-28.jsonl")).as("by the day of writing").containsExactly("b", "c");
    }

    @Test
    void keepsTheConfiguredExtensionOrAddsJsonl() throws IOException {
        try (LedgerSink a = LedgerSink.jsonl(dir.resolve("audit.log"), clock);
                LedgerSink b = LedgerSink.jsonl(dir.resolve("ledger"), clock)) {
            a.writeBatch(sequence(1, Instant.EPOCH));
            b.writeBatch(sequence(1, Instant.EPOCH));
        }
        assertThat(files()).containsExactly("audit-2026-11-27.log", "ledger-2026-11-27.jsonl");
    }

    @Test
    void appendsToTheDaysFileAcrossRestarts() throws IOException {
        for (int i = 0; i < 3; i++) {
            try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"), clock)) {
                sink.writeBatch(List.of(record("r" + i, Instant.EPOCH, "acme", "m", i)));
            }
        }
        assertThat(ids("ledger-2026-11-27.jsonl")).containsExactly("r0", "r1", "r2");
    }

    @Test
    void aFileMovedAwayWhileOpenIsRecreated() throws IOException {
        try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"), clock)) {
            sink.writeBatch(List.of(record("a", Instant.EPOCH, "acme", "m", 1)));
            Files.move(dir.resolve("ledger-2026-11-27.jsonl"), dir.resolve("rotated"));
            sink.writeBatch(List.of(record("b", Instant.EPOCH, "acme", "m", 1)));
        }
        assertThat(ids("ledger-2026-11-27.jsonl")).containsExactly("b");
    }

    @Test
    void prunesWholeDaysBeforeTheCutoff() throws IOException {
        try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"), clock)) {
            for (String day : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
                clock.set(Instant.parse(day + "T12:00:00Z"));
                sink.writeBatch(sequence(1, Instant.parse(day + "T11:00:00Z")));
            }
            Files.writeString(dir.resolve("ledger-notes.jsonl"), "not a day file");

            sink.prune(Instant.parse("2026-11-26T00:00:00Z"));

            assertThat(files()).containsExactly("ledger-2026-11-26.jsonl", "ledger-2026-11-27.jsonl", "ledger-notes.jsonl");
            sink.prune(Instant.parse("2026-11-28T00:00:00Z"));
            sink.writeBatch(sequence(1, Instant.parse("2026-11-27T12:00:00Z")));
        }
        assertThat(files()).as("the open file was closed before deletion and reopened after").containsExactly(
                "ledger-2026-11-27.jsonl", "ledger-notes.jsonl");
    }

    @Test
    void anUnwritablePathFailsTheBatchAndWorksAgainOnceFixed() throws IOException {
        Files.createDirectory(dir.resolve("ledger-2026-11-27.jsonl"));
        try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"), clock)) {
            assertThatThrownBy(() -> sink.writeBatch(sequence(2, Instant.EPOCH))).isInstanceOf(IOException.class);

            Files.delete(dir.resolve("ledger-2026-11-27.jsonl"));
            sink.writeBatch(sequence(2, Instant.EPOCH));
        }
        assertThat(ids("ledger-2026-11-27.jsonl")).containsExactly("r0", "r1");
    }

    @Test
    void theWriterSpillsWhileTheFileIsUnwritableAndCatchesUp() throws IOException {
        Path blocker = dir.resolve("ledger-2026-11-27.jsonl");
        Files.createDirectory(blocker);
        AtomicLong ticker = new AtomicLong();
        CountingStats stats = new CountingStats();
        LedgerWriter w = LedgerWriter.builder(LedgerSink.jsonl(dir.resolve("ledger.jsonl"), clock), dir.resolve("spill"))
                .stats(stats).ticker(ticker::get).clock(clock).batchSize(50)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).build();
        List<LedgerRecord> all = sequence(500, Instant.parse("2026-11-27T00:00:00Z"));

        all.subList(0, 250).forEach(w::offer);
        while (w.step(false)) {
            // drain
        }
        assertThat(stats.written).as("before: nothing reached the file").hasValue(0);
        assertThat(stats.spilled).hasValue(250);
        assertThat(stats.errors.get()).isPositive();

        Files.delete(blocker);
        all.subList(250, 500).forEach(w::offer);
        ticker.addAndGet(Duration.ofMillis(10).toNanos());
        while (w.step(false)) {
            // drain
        }
        w.close();

        assertThat(stats.written).as("after: every record").hasValue(500);
        assertThat(ids("ledger-2026-11-27.jsonl")).isEqualTo(all.stream().map(LedgerRecord::requestId).toList());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> ids(String file) throws IOException {
        return Files.readAllLines(dir.resolve(file)).stream().map(LedgerJson::read).map(LedgerRecord::requestId).toList();
    }
}
