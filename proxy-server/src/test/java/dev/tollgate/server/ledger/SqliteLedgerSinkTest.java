package dev.tollgate.server.ledger;

import static dev.tollgate.server.ledger.Records.record;
import static dev.tollgate.server.ledger.Records.varied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.ledger.DailySpend;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.TimeRange;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLedgerSinkTest {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("ledger.db");
    }

    private List<LedgerRecord> scan(TimeRange range) throws IOException {
        List<LedgerRecord> out = new ArrayList<>();
        try (SqliteLedgerReader reader = new SqliteLedgerReader(db())) {
            reader.scan(range, out::add);
        }
        out.sort(Comparator.comparing(LedgerRecord::tsStart).thenComparing(LedgerRecord::requestId));
        return out;
    }

    @Test
    void everyFieldReadsBackAsWritten() throws IOException {
        List<LedgerRecord> records = varied(500, NOV, 1);
        try (SqliteLedgerSink sink = new SqliteLedgerSink(db())) {
            sink.writeBatch(records.subList(0, 200));
            sink.writeBatch(records.subList(200, 500));
        }

        List<LedgerRecord> expected = new ArrayList<>(records);
        expected.sort(Comparator.comparing(LedgerRecord::tsStart).thenComparing(LedgerRecord::requestId));
        assertThat(scan(new TimeRange(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))).isEqualTo(expected);
        try (SqliteLedgerReader reader = new SqliteLedgerReader(db())) {
            assertThat(reader.find(records.get(17).requestId())).contains(records.get(17));
            assertThat(reader.find("nope")).isEmpty();
        }
    }

    @Test
    void walModeAndIndexesAreInPlace() throws Exception {
        new SqliteLedgerSink(db()).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            assertThat(query(s, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(query(s, "PRAGMA user_version")).isEqualTo("1");
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            assertThat(indexes).containsExactly(
                    "CREATE INDEX ledger_tenant_ts_start ON ledger (tenant, ts_start)",
                    "CREATE INDEX ledger_ts_start ON ledger (ts_start)");
        }
    }

    @Test
    void dailySpendEqualsTheSumOfItsRecordsAndIgnoresReplays() throws IOException {
        List<LedgerRecord> records = varied(3_000, NOV, 2);
        try (SqliteLedgerSink sink = new SqliteLedgerSink(db())) {
            for (int i = 0; i < records.size(); i += 250) {
                sink.writeBatch(records.subList(i, Math.min(records.size(), i + 250)));
            }
            sink.writeBatch(records.subList(1_000, 1_500)); // a spill replayed twice after a crash
        }

        Map<String, long[]> expected = new TreeMap<>();
        for (LedgerRecord r : records) {
            long[] sum = expected.computeIfAbsent(TimeRange.day(r.tsStart()) + " " + r.tenant(), k -> new long[2]);
            sum[0]++;
            sum[1] += r.costNanoUsd();
        }
        try (SqliteLedgerReader reader = new SqliteLedgerReader(db())) {
            List<DailySpend> spend = reader.dailySpend(LocalDate.parse("2026-11-01"), LocalDate.parse("2027-01-01"));
            Map<String, long[]> actual = new TreeMap<>();
            spend.forEach(d -> actual.put(d.day() + " " + d.tenant(), new long[] {d.requests(), d.costNanoUsd()}));
            assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
            assertThat(spend).isSortedAccordingTo(Comparator.comparing(DailySpend::day).thenComparing(DailySpend::tenant));
        }
        assertThat(scan(new TimeRange(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))).hasSize(3_000);
    }

    @Test
    void rangesIncludeFromAndExcludeTo() throws IOException {
        try (SqliteLedgerSink sink = new SqliteLedgerSink(db())) {
            sink.writeBatch(List.of(
                    record("before", Instant.parse("2026-10-31T23:59:59.999Z"), "acme", "m", 1),
                    record("first", Instant.parse("2026-11-01T00:00:00Z"), "acme", "m", 2),
                    record("last", Instant.parse("2026-11-30T23:59:59.999Z"), "acme", "m", 4),
                    record("after", Instant.parse("2026-12-01T00:00:00Z"), "acme", "m", 8)));
        }
        assertThat(scan(TimeRange.parse("2026-11-01", "2026-12-01"))).extracting(LedgerRecord::requestId)
                .containsExactly("first", "last");
        assertThat(scan(new TimeRange(Instant.parse("2026-10-31T23:59:59.9985Z"), Instant.parse("2026-11-01T00:00:00.0001Z"))))
                .as("bounds finer than a millisecond").extracting(LedgerRecord::requestId).containsExactly("before", "first");
    }

    @Test
    void aLockedDatabaseFailsTheBatchWholeAndWorksOnceReleased() throws Exception {
        try (SqliteLedgerSink sink = new SqliteLedgerSink(db(), Duration.ofMillis(50));
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement s = other.createStatement()) {
            sink.writeBatch(List.of(record("a", NOV, "acme", "m", 1)));
            s.execute("BEGIN EXCLUSIVE");

            assertThatThrownBy(() -> sink.writeBatch(List.of(record("b", NOV, "acme", "m", 2), record("c", NOV, "acme", "m", 4))))
                    .isInstanceOf(IOException.class).hasMessageContaining("ledger.db").hasMessageContaining("locked");

            s.execute("COMMIT");
            sink.writeBatch(List.of(record("b", NOV, "acme", "m", 2), record("c", NOV, "acme", "m", 4)));
        }
        assertThat(scan(TimeRange.parse("2026-11-01", "2026-11-02"))).extracting(LedgerRecord::requestId).containsExactly("a", "b", "c");
        try (SqliteLedgerReader reader = new SqliteLedgerReader(db())) {
            assertThat(reader.dailySpend(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-02")))
                    .containsExactly(new DailySpend("acme", LocalDate.parse("2026-11-01"), 3, 7));
        }
    }

    @Test
    void pruneDeletesRecordsAndDaysBeforeTheCutoff() throws IOException {
        try (SqliteLedgerSink sink = new SqliteLedgerSink(db())) {
            sink.writeBatch(List.of(
                    record("old", Instant.parse("2026-10-30T12:00:00Z"), "acme", "m", 1),
                    record("edge", Instant.parse("2026-10-31T23:59:59.999Z"), "acme", "m", 2),
                    record("kept", Instant.parse("2026-11-01T00:00:00Z"), "acme", "m", 4)));
            sink.prune(Instant.parse("2026-11-01T00:00:00Z"));
        }
        assertThat(scan(TimeRange.parse("2026-01-01", "2027-01-01"))).extracting(LedgerRecord::requestId).containsExactly("kept");
        try (SqliteLedgerReader reader = new SqliteLedgerReader(db())) {
            assertThat(reader.dailySpend(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-01-01")))
                    .containsExactly(new DailySpend("acme", LocalDate.parse("2026-11-01"), 1, 4));
        }
    }

    @Test
    void aNewerSchemaIsRefusedByName() throws Exception {
        new SqliteLedgerSink(db()).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version=7");
        }
        assertThatThrownBy(() -> new SqliteLedgerSink(db())).isInstanceOf(IOException.class)
                .hasMessageContaining("ledger.db").hasMessageContaining("schema version 7");
    }

    @Test
    void theReaderRefusesWhatIsNotALedger() throws Exception {
        assertThatThrownBy(() -> new SqliteLedgerReader(dir.resolve("missing.db"))).hasMessageContaining("missing.db: no such ledger file");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("other.db")); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x)");
        }
        assertThatThrownBy(() -> new SqliteLedgerReader(dir.resolve("other.db"))).hasMessageContaining("not a Tollgate ledger");
    }

    private static String query(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
