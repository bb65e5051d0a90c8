package dev.tollgate.bench;

import dev.tollgate.core.budget.Budget;
import dev.tollgate.core.budget.BudgetAction;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.BudgetWindow;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.ledger.LedgerReader;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.TimeRange;
import dev.tollgate.core.pricing.PriceSource;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.server.ledger.LedgerSpendSource;
import dev.tollgate.server.ledger.SqliteLedgerReader;
import dev.tollgate.server.ledger.SqliteLedgerSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 3: budget spend rebuilt at start-up from a month of one million ledger records must take
 * under two seconds. {@link #rebuildFromAggregates} is what Tollgate does at start-up (the SQLite
 * ledger's {@code spend_daily} table, kept in the same transaction as the records);
 * {@link #rebuildByScanningRecords} is the naive baseline, reading every record, measured in the
 * same run for the ratio.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class LedgerStartupBenchmark {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final int TENANTS = 40;

    @Param("1000000")
    public int records;

    Path dir;
    Path ledger;
    List<Budget> budgets;

    @Setup(Level.Trial)
    public void writeAMonthOfRecords() throws IOException {
        dir = Files.createTempDirectory("tollgate-ledger-bench");
        ledger = dir.resolve("ledger.db");
        budgets = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            budgets.add(Budget.of(TenantId.of("tenant-" + t), BudgetWindow.MONTHLY, 1_000_000_000_000L, BudgetAction.REJECT));
            budgets.add(Budget.of(TenantId.of("tenant-" + t), BudgetWindow.DAILY, 100_000_000_000L, BudgetAction.ALERT_ONLY));
        }
        Instant monthStart = Instant.parse("2026-11-01T00:00:00Z");
        long spanMillis = NOW.toEpochMilli() - monthStart.toEpochMilli();
        try (SqliteLedgerSink sink = new SqliteLedgerSink(ledger)) {
            List<LedgerRecord> batch = new ArrayList<>(10_000);
            for (int i = 0; i < records; i++) {
                Instant start = monthStart.plusMillis(spanMillis * i / records);
                batch.add(record(i, start));
                if (batch.size() == 10_000) {
                    sink.writeBatch(batch);
                    batch.clear();
                }
            }
            sink.writeBatch(batch);
        }
    }

    @TearDown(Level.Trial)
    public void deleteLedger() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** What start-up does: daily aggregates summed into each budget's current window, then seeded. */
    @Benchmark
    public BudgetEnforcer rebuildFromAggregates() {
        BudgetEnforcer enforcer = BudgetEnforcer.of(budgets);
        int applied = enforcer.seedFrom(new LedgerSpendSource(ledger, warning -> { }), NOW);
        if (applied != 2 * TENANTS) {
            throw new IllegalStateException("seeded " + applied + " budgets, expected " + 2 * TENANTS);
        }
        return enforcer;
    }

    /** The baseline: every record of the month read back and summed. */
    @Benchmark
    public long rebuildByScanningRecords() throws IOException {
        LongAdder total = new LongAdder();
        try (LedgerReader reader = new SqliteLedgerReader(ledger)) {
            reader.scan(TimeRange.of(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-12-01")),
                    record -> total.add(record.costNanoUsd()));
        }
        return total.sum();
    }

    private static LedgerRecord record(int i, Instant start) {
        Instant end = start.plusMillis(800);
        return new LedgerRecord(String.format("01JBENCH%018d", i), start, end, "tenant-" + (i % TENANTS),
                Map.of("feature", "search"), "/openai", ProviderKind.OPENAI.configName(), Endpoint.CHAT_COMPLETIONS.label(),
                "gpt-4o-mini", "gpt-4o-mini-2024-07-18", i % 3 == 0, 200, Outcome.OK.label(), 1200, 200, 0, 300, false,
                345_000, PriceSource.CATALOG.label(), 150, 800, 790);
    }
}
