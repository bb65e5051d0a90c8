package dev.tollgate.server.ledger;

import static dev.tollgate.server.ledger.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.ledger.LedgerReader;
import dev.tollgate.core.ledger.LedgerSink;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void opensTheConfiguredSink() throws IOException {
        try (LedgerSink sqlite = Ledgers.openSink("sqlite", dir.resolve("l.db"), CLOCK);
                LedgerSink jsonl = Ledgers.openSink("jsonl", dir.resolve("l.jsonl"), CLOCK);
                LedgerSink none = Ledgers.openSink("none", dir.resolve("x"), CLOCK)) {
            assertThat(List.of(sqlite.name(), jsonl.name(), none.name())).containsExactly("sqlite", "jsonl", "none");
        }
        assertThatThrownBy(() -> Ledgers.openSink("kafka", dir.resolve("x"), CLOCK)).hasMessageContaining("'kafka'");
    }

    @Test
    void tellsSqliteFromJsonlByContentThenByName() throws IOException {
        try (LedgerSink sink = new SqliteLedgerSink(dir.resolve("odd-name.jsonl"))) {
            sink.writeBatch(List.of(record("s", Instant.parse("2026-11-27T00:00:00Z"), "acme", "m", 1)));
        }
        try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"), CLOCK)) {
            sink.writeBatch(List.of(record("j", Instant.parse("2026-11-27T00:00:00Z"), "acme", "m", 1)));
        }

        try (LedgerReader byMagic = Ledgers.openReader(dir.resolve("odd-name.jsonl"), w -> {});
                LedgerReader byDailyFiles = Ledgers.openReader(dir.resolve("ledger.jsonl"), w -> {})) {
            assertThat(byMagic).isInstanceOf(SqliteLedgerReader.class);
            assertThat(byMagic.find("s")).isPresent();
            assertThat(byDailyFiles.find("j")).isPresent();
        }
        assertThatThrownBy(() -> Ledgers.openReader(dir.resolve("missing.db"), w -> {})).hasMessageContaining("no such ledger file");
        assertThatThrownBy(() -> Ledgers.openReader(dir.resolve("missing.jsonl"), w -> {}))
                .hasMessageContaining("no ledger there").hasMessageContaining("missing-2026-11-27.jsonl");
        Files.createDirectory(dir.resolve("adir"));
        assertThatThrownBy(() -> Ledgers.openReader(dir.resolve("adir"), w -> {})).hasMessageContaining("a directory");
    }

    @Test
    void metersHaveTheContractNamesFromTheStart() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LedgerMeters meters = LedgerMeters.register(registry, "sqlite");
        meters.recordsWritten(3);
        meters.error();

        String scrape = registry.scrape();
        assertThat(scrape).contains("tollgate_ledger_records_total{sink=\"sqlite\"} 3.0")
                .contains("tollgate_ledger_errors_total{sink=\"sqlite\"} 1.0");
    }
}
