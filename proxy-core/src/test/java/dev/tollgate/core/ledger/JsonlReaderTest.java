package dev.tollgate.core.ledger;

import static dev.tollgate.core.ledger.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void writeThreeDays() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-10-31T23:00:00Z"));
        try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"), clock)) {
            sink.writeBatch(List.of(
                    record("oct31", Instant.parse("2026-10-31T22:59:59.999Z"), "acme", "m", 1)));
            clock.set(Instant.parse("2026-11-01T00:00:01Z"));
            sink.writeBatch(List.of(
                    record("oct31-late", Instant.parse("2026-10-31T23:59:59.999Z"), "acme", "m", 2),
                    record("nov1-first", Instant.parse("2026-11-01T00:00:00.000Z"), "acme", "m", 4)));
            clock.set(Instant.parse("2026-12-01T00:00:05Z"));
            sink.writeBatch(List.of(
                    record("nov30-last", Instant.parse("2026-11-30T23:59:59.999Z"), "beta", "m", 8),
                    record("dec1-first", Instant.parse("2026-12-01T00:00:00.000Z"), "beta", "m", 16)));
        }
    }

    private List<String> scan(String from, String to) throws IOException {
        List<String> ids = new ArrayList<>();
        try (LedgerReader reader = LedgerReader.jsonl(dir.resolve("ledger.jsonl"), warnings::add)) {
            reader.scan(TimeRange.parse(from, to), r -> ids.add(r.requestId()));
        }
        return ids;
    }

    @Test
    void fromIsInclusiveAndToExclusive() throws IOException {
        assertThat(scan("2026-11-01", "2026-12-01")).containsExactly("nov1-first", "nov30-last");
        assertThat(scan("2026-10-31T23:59:59.999Z", "2026-11-01T00:00:00Z")).containsExactly("oct31-late");
        assertThat(scan("2026-10-01", "2027-01-01")).hasSize(5);
        assertThat(warnings).isEmpty();
    }

    @Test
    void tornAndForeignLinesAreSkippedWithAWarning() throws IOException {
        Path nov = dir.resolve("ledger-2026-11-01.jsonl");
        Files.writeString(nov, "\n{\"request_id\":\"x\"}\n{\"request_id\":\"half", StandardOpenOption.APPEND);

        assertThat(scan("2026-11-01", "2026-11-02")).containsExactly("nov1-first");
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).contains("ledger-2026-11-01.jsonl:"));
        assertThat(warnings.get(0)).contains(":4:").contains("ts_start missing");
    }

    @Test
    void theConfiguredPathIsReadTooWhenItIsAFile() throws IOException {
        Files.writeString(dir.resolve("ledger.jsonl"),
                LedgerJson.write(record("plain", Instant.parse("2026-11-15T00:00:00Z"), "acme", "m", 1)) + "\n");
        assertThat(scan("2026-11-01", "2026-12-01")).containsExactlyInAnyOrder("nov1-first", "nov30-last", "plain");
    }

    @Test
    void findsOneRecordById() throws IOException {
        try (LedgerReader reader = LedgerReader.jsonl(dir.resolve("ledger.jsonl"), warnings::add)) {
            assertThat(reader.find("nov30-last")).get().extracting(LedgerRecord::costNanoUsd).isEqualTo(8L);
            assertThat(reader.find("nov30")).isEmpty();
        }
    }

    @Test
    void sumsDailySpendPerTenant() throws IOException {
        try (LedgerReader reader = LedgerReader.jsonl(dir.resolve("ledger.jsonl"), warnings::add)) {
            assertThat(reader.dailySpend(LocalDate.parse("2026-10-31"), LocalDate.parse("2026-12-01"))).containsExactly(
                    new DailySpend("acme", LocalDate.parse("2026-10-31"), 2, 3),
                    new DailySpend("acme", LocalDate.parse("2026-11-01"), 1, 4),
                    new DailySpend("beta", LocalDate.parse("2026-11-30"), 1, 8));
        }
    }

    @Test
    void noFilesIsAnEmptyLedger() throws IOException {
        try (LedgerReader reader = LedgerReader.jsonl(dir.resolve("other/none.jsonl"), warnings::add)) {
            List<LedgerRecord> found = new ArrayList<>();
            reader.scan(TimeRange.parse("2026-01-01", "2027-01-01"), found::add);
            assertThat(found).isEmpty();
        }
    }
}
