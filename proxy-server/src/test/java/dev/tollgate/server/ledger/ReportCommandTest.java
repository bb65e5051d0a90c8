package dev.tollgate.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.LedgerSink;
import dev.tollgate.server.cli.ReportCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code tollgate report} on both kinds of ledger: a month's invoice per tenant. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static LedgerRecord rec(String id, String start, String tenant, String model, Map<String, String> tags, long cost) {
        return new LedgerRecord(id, Instant.parse(start), Instant.parse(start).plusSeconds(1), tenant, tags, "/openai",
                "openai", "chat/completions", model, model, true, 200, "ok", 1_000, 200, 30, 50, false, cost, "catalog",
                100, 1_000, 990);
    }

    private static final List<LedgerRecord> MONTH = List.of(
            rec("a", "2026-10-31T23:59:59.999Z", "acme", "gpt-4o-mini", Map.of(), 999_999_999),
            rec("b", "2026-11-01T00:00:00Z", "acme", "gpt-4o-mini", Map.of("feature", "search"), 1_500_000_000),
            rec("c", "2026-11-15T12:00:00Z", "acme", "claude-sonnet-4-5", Map.of(), 2),
            rec("d", "2026-11-20T08:00:00Z", "beta", "gpt-4o-mini", Map.of("feature", "chat,\"v2\""), 333_333_333),
            rec("e", "2026-11-30T23:59:59.999Z", "beta", "gpt-4o-mini", Map.of(), 333_333_334),
            rec("f", "2026-12-01T00:00:00Z", "beta", "gpt-4o-mini", Map.of(), 777));

    @BeforeEach
    void writeLedgers() throws IOException {
        try (SqliteLedgerSink sink = new SqliteLedgerSink(dir.resolve("ledger.db"))) {
            sink.writeBatch(MONTH);
        }
        try (LedgerSink sink = LedgerSink.jsonl(dir.resolve("ledger.jsonl"),
                Clock.fixed(Instant.parse("2026-12-01T00:00:01Z"), ZoneOffset.UTC))) {
            sink.writeBatch(MONTH);
        }
    }

    private int run(String ledger, @Nullable String from, @Nullable String to, @Nullable String groupBy, @Nullable String format) {
        return ReportCommand.run(dir.resolve(ledger).toString(), from, to, groupBy, format,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ledger.db", "ledger.jsonl"})
    void aMonthlyInvoicePerTenantAsCsv(String ledger) {
        assertThat(run(ledger, "2026-11-01", "2026-12-01", "tenant", "csv")).isZero();

        assertThat(out()).isEqualTo(
                "tenant,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,cost_usd\r\n"
                + "acme,2,2000,400,60,100,1.500000002\r\n"
                + "beta,2,2000,400,60,100,0.666666667\r\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ledger.db", "ledger.jsonl"})
    void tagsQuotedAndATableWithATotal(String ledger) {
        assertThat(run(ledger, "2026-11-01", "2026-12-01", "tag:feature,model", "csv")).isZero();
        assertThat(out()).contains("\"chat,\"\"v2\"\"\",gpt-4o-mini,1,").contains("\r\n,claude-sonnet-4-5,1,");

        out.reset();
        assertThat(run(ledger, "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z", null, null)).isZero();
        assertThat(out()).isEqualTo("""
                tenant  requests  input_tokens  cached_input_tokens  cache_write_tokens  output_tokens     cost_usd
                ------  --------  ------------  -------------------  ------------------  -------------  -----------
                acme           3          3000                  600                  90            150  2.500000001
                beta           3          3000                  600                  90            150  0.666667444
                ------  --------  ------------  -------------------  ------------------  -------------  -----------
                TOTAL          6          6000                 1200                 180            300  3.166667445
                """);
    }

    @Test
    void jsonByDay() {
        assertThat(run("ledger.db", "2026-11-30", "2026-12-02", "day", "json")).isZero();
        assertThat(out()).contains("\"day\" : \"2026-11-30\"").contains("\"cost_usd\" : 0.333333334")
                .contains("\"day\" : \"2026-12-01\"").contains("\"cost_usd\" : 0.000000777");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("ledger.db", "2026-11-01", "2026-12-01", "tenant,colour", "csv")).isEqualTo(2);
        assertThat(run("ledger.db", "2026-11-01", "2026-12-01", "tenant", "xml")).isEqualTo(2);
        assertThat(run("ledger.db", "2026-12-01", "2026-11-01", "tenant", "csv")).isEqualTo(2);
        assertThat(run("ledger.db", null, "2026-11-01", "tenant", "csv")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'colour'").contains("'xml'").contains("to after from")
                .contains("--from and --to are required");
        assertThat(out()).isEmpty();
    }

    @Test
    void aMissingLedgerIsAFailureNamingThePath() {
        assertThat(run("nothing.db", "2026-11-01", "2026-12-01", "tenant", "csv")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing.db");
    }

    @Test
    void tornJsonlLinesAreSkippedWithAWarning() throws IOException {
        Files.writeString(dir.resolve("ledger-2026-12-01.jsonl"), "{\"request_id\":\"to", StandardOpenOption.APPEND);

        assertThat(run("ledger.jsonl", "2026-11-01", "2026-12-01", "tenant", "csv")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("report: warning: ").contains("ledger-2026-12-01.jsonl:7");
    }
}
