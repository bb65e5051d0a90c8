package dev.tollgate.core.ledger;

import static dev.tollgate.core.ledger.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UsageReportTest {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");

    private static List<LedgerRecord> randomRecords(int n, long seed) {
        Random random = new Random(seed);
        String[] tenants = {"acme", "beta", "unknown"};
        String[] models = {"gpt-4o-mini", "claude-sonnet-4-5", "llama-3.1-8b"};
        List<LedgerRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> tags = new HashMap<>();
            if (random.nextBoolean()) {
                tags.put("feature", random.nextBoolean() ? "search" : "chat");
            }
            String model = random.nextInt(10) == 0 ? null : models[random.nextInt(models.length)];
            out.add(record("r" + i, NOV.plusSeconds(random.nextInt(30 * 86_400)), tenants[random.nextInt(tenants.length)],
                    model, tags, random.nextInt(200_000), random.nextInt(8_000),
                    // Large and odd costs: any rounding or float would show.
                    random.nextLong(1, 90_000_000_000L)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant", "tenant,model", "model,provider", "day", "tag:feature,tenant", "route", "month,outcome"})
    void everyRowAndTheTotalEqualABruteForceSum(String groupBy) {
        List<LedgerRecord> records = randomRecords(5_000, groupBy.hashCode());
        List<GroupKey> keys = GroupKey.parseList(groupBy);
        UsageReport.Builder builder = UsageReport.builder(keys);
        records.forEach(builder::add);

        UsageReport report = builder.build();

        long rowRequests = 0;
        long rowCost = 0;
        for (UsageReport.Row row : report.rows()) {
            List<LedgerRecord> members = records.stream().filter(r -> {
                for (int i = 0; i < keys.size(); i++) {
                    if (!Objects.equals(keys.get(i).valueOf(r), row.keys().get(i))) {
                        return false;
                    }
                }
                return true;
            }).toList();
            assertThat(row.totals()).isEqualTo(bruteForce(members));
            rowRequests += row.totals().requests();
            rowCost += row.totals().costNanoUsd();
        }
        assertThat(report.total()).isEqualTo(bruteForce(records));
        assertThat(rowRequests).isEqualTo(records.size());
        assertThat(rowCost).isEqualTo(report.total().costNanoUsd());
        assertThat(report.rows()).extracting(UsageReport.Row::keys).doesNotHaveDuplicates();
    }

    private static UsageTotals bruteForce(List<LedgerRecord> records) {
        long in = 0;
        long cached = 0;
        long writes = 0;
        long out = 0;
        long cost = 0;
        for (LedgerRecord r : records) {
            in += r.inputTokens();
            cached += r.cachedInputTokens();
            writes += r.cacheWriteTokens();
            out += r.outputTokens();
            cost += r.costNanoUsd();
        }
        return new UsageTotals(records.size(), in, cached, writes, out, cost);
    }

    @Test
    void costIsExactToTheNanoDollar() {
        UsageReport.Builder builder = UsageReport.builder(GroupKey.parseList("tenant"));
        for (int i = 0; i < 3; i++) {
            builder.add(record("r" + i, NOV, "acme", "m", 333_333_333));
        }
        builder.add(record("big", NOV, "beta", "m", 9_000_000_000_000_000_001L));

        UsageReport report = builder.build();

        assertThat(report.rows().get(0).totals().costUsd()).isEqualTo("0.999999999");
        assertThat(report.rows().get(1).totals().costUsd()).isEqualTo("9000000000.000000001");
        assertThat(report.total().costUsd()).isEqualTo("9000000001.000000000");
    }

    @Test
    void csvIsRfc4180() throws IOException {
        UsageReport report = report("tenant,model",
                record("a", NOV, "acme", "gpt,4 \"turbo\"", 1_500_000_000),
                record("b", NOV, "acme", "line\nbreak", 5),
                record("c", NOV, "beta", null, 0));

        StringBuilder out = new StringBuilder();
        ReportFormat.CSV.write(report, out);

        assertThat(out.toString()).isEqualTo(
                "tenant,model,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,cost_usd\r\n"
                + "acme,\"gpt,4 \"\"turbo\"\"\",1,100,0,0,10,1.500000000\r\n"
                + "acme,\"line\nbreak\",1,100,0,0,10,0.000000005\r\n"
                + "beta,,1,100,0,0,10,0.000000000\r\n");
    }

    @Test
    void tableIsAlignedAndEndsWithATotal() throws IOException {
        UsageReport report = report("tenant,tag:feature",
                record("a", NOV, "acme", "m", Map.of("feature", "search"), 1_234_567, 89, 12_345_678_901L),
                record("b", NOV, "acme", "m", Map.of(), 5, 6, 7),
                record("c", NOV, "bigcorp-eu", "m", Map.of("feature", "chat"), 10, 20, 30));

        StringBuilder out = new StringBuilder();
        ReportFormat.TABLE.write(report, out);

        assertThat(out.toString()).isEqualTo("""
                tenant      tag:feature  requests  input_tokens  cached_input_tokens  cache_write_tokens  output_tokens      cost_usd
                ----------  -----------  --------  ------------  -------------------  ------------------  -------------  ------------
                acme        search              1       1234567                    0                   0             89  12.345678901
                acme        -                   1             5                    0                   0              6   0.000000007
                bigcorp-eu  chat                1            10                    0                   0             20   0.000000030
                ----------  -----------  --------  ------------  -------------------  ------------------  -------------  ------------
                TOTAL                           3       1234582                    0                   0            115  12.345678938
                """);
    }

    @Test
    void jsonIsAnArrayOfObjectsWithExactDecimals() throws IOException {
        UsageReport report = report("tenant,model",
                record("a", NOV, "acme", null, 1),
                record("b", NOV, "acme", "m", 9_007_199_254_740_993L));

        StringBuilder out = new StringBuilder();
        ReportFormat.JSON.write(report, out);

        JsonNode json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(out.toString());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        List<String> names = new ArrayList<>();
        json.get(0).fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(report.columns());
        assertThat(json.get(0).get("model").isNull()).as("rows sort missing values last").isFalse();
        assertThat(json.get(1).get("model").isNull()).isTrue();
        assertThat(json.get(0).get("cost_usd").decimalValue()).isEqualByComparingTo(new BigDecimal("9007199.254740993"));
        assertThat(out.toString()).contains("\"cost_usd\" : 0.000000001").doesNotContain("E-");
    }

    @Test
    void anEmptyReportStillHasAHeaderAndATotal() throws IOException {
        UsageReport report = report("tenant");
        StringBuilder csv = new StringBuilder();
        StringBuilder table = new StringBuilder();
        StringBuilder json = new StringBuilder();
        ReportFormat.CSV.write(report, csv);
        ReportFormat.TABLE.write(report, table);
        ReportFormat.JSON.write(report, json);

        assertThat(csv.toString()).startsWith("tenant,requests,").endsWith("cost_usd\r\n");
        assertThat(table.toString()).endsWith("TOTAL          0             0                    0                   0              0  0.000000000\n");
        assertThat(new ObjectMapper().readTree(json.toString())).isEmpty();
    }

    @Test
    void groupKeysAreCheckedAndNamed() {
        assertThat(GroupKey.parseList("Tenant, model ,tag:Feature,day").stream().map(GroupKey::column))
                .containsExactly("tenant", "model", "tag:Feature", "day");
        assertThatThrownBy(() -> GroupKey.parseList("tenant,colour")).hasMessageContaining("'colour'").hasMessageContaining("tag:<key>");
        assertThatThrownBy(() -> GroupKey.parseList("tenant,tenant")).hasMessageContaining("twice");
        assertThatThrownBy(() -> GroupKey.parseList("tenant,")).hasMessageContaining("separated by commas");
        assertThatThrownBy(() -> GroupKey.parseList("tag:")).hasMessageContaining("tag:<key>");

        LedgerRecord r = record("r", Instant.parse("2026-11-30T23:59:59.999Z"), "acme", "m", Map.of("env", "prod"), 1, 1, 1);
        assertThat(GroupKey.parse("day").valueOf(r)).isEqualTo("2026-11-30");
        assertThat(GroupKey.parse("month").valueOf(r)).isEqualTo("2026-11");
        assertThat(GroupKey.parse("tag:env").valueOf(r)).isEqualTo("prod");
        assertThat(GroupKey.parse("tag:feature").valueOf(r)).isNull();
    }

    @Test
    void timeRangesTakeDatesAndInstants() {
        assertThat(TimeRange.parse("2026-11-01", "2026-12-01")).isEqualTo(
                new TimeRange(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(TimeRange.parse("2026-11-01T09:30:00+01:00", "2026-11-01T08:30:00.5Z")).isEqualTo(
                new TimeRange(Instant.parse("2026-11-01T08:30:00Z"), Instant.parse("2026-11-01T08:30:00.5Z")));
        TimeRange nov = TimeRange.parse("2026-11-01", "2026-12-01");
        assertThat(nov.contains(Instant.parse("2026-11-01T00:00:00Z"))).isTrue();
        assertThat(nov.contains(Instant.parse("2026-11-30T23:59:59.999Z"))).isTrue();
        assertThat(nov.contains(Instant.parse("2026-12-01T00:00:00Z"))).isFalse();

        assertThatThrownBy(() -> TimeRange.parse("2026-11-01", "2026-11-01")).hasMessageContaining("to after from");
        assertThatThrownBy(() -> TimeRange.parse("November", "2026-12-01")).hasMessageContaining("from: 'November'");
        assertThatThrownBy(() -> TimeRange.parse("2026-11-01", "2026-13-01")).hasMessageContaining("to: '2026-13-01'");
    }

    private static UsageReport report(String groupBy, LedgerRecord... records) {
        UsageReport.Builder builder = UsageReport.builder(GroupKey.parseList(groupBy));
        for (LedgerRecord r : records) {
            builder.add(r);
        }
        return builder.build();
    }
}
