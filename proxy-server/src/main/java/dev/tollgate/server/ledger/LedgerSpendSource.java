package dev.tollgate.server.ledger;

import dev.tollgate.core.budget.BudgetPeriod;
import dev.tollgate.core.budget.SpendKey;
import dev.tollgate.core.budget.SpendSource;
import dev.tollgate.core.ledger.DailySpend;
import dev.tollgate.core.ledger.LedgerReader;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.LedgerWriter;
import dev.tollgate.core.tenant.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rebuilds budget spend at start-up from the ledger: the SQLite ledger's daily aggregate table (a
 * month is at most 31 rows per tenant, however many requests it holds), or the JSONL files, plus
 * the records still waiting in the spill. Budget windows are whole UTC days, so daily sums add up
 * to each window exactly.
 */
public final class LedgerSpendSource implements SpendSource {

    private final Path ledgerPath;
    private final Consumer<String> warnings;

    public LedgerSpendSource(Path ledgerPath, Consumer<String> warnings) {
        this.ledgerPath = ledgerPath;
        this.warnings = warnings;
    }

    @Override
    public Map<SpendKey, Long> load(Set<BudgetPeriod> periods) {
        if (periods.isEmpty()) {
            return Map.of();
        }
        LocalDate from = periods.stream().map(p -> day(p.start().toEpochMilli())).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = periods.stream().map(p -> day(p.end().toEpochMilli())).max(LocalDate::compareTo).orElseThrow();
        List<DailySpend> days = new ArrayList<>();
        try {
            if (Files.exists(ledgerPath) || !LedgerReader.jsonlFiles(ledgerPath).isEmpty()) {
                try (LedgerReader reader = Ledgers.openReader(ledgerPath, warnings)) {
                    days.addAll(reader.dailySpend(from, to));
                }
            }
            Path spill = LedgerWriter.spillDirectoryFor(ledgerPath);
            if (Files.isDirectory(spill)) {
                LedgerWriter.readSpill(spill, record -> days.add(asDailySpend(record)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild budget spend from the ledger " + ledgerPath, e);
        }
        Map<SpendKey, Long> spend = new HashMap<>();
        for (DailySpend day : days) {
            if (!TenantId.isValid(day.tenant())) {
                continue;
            }
            long dayStart = day.day().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            for (BudgetPeriod period : periods) {
                if (dayStart >= period.start().toEpochMilli() && dayStart < period.end().toEpochMilli()) {
                    spend.merge(SpendKey.of(TenantId.of(day.tenant()), period.id()), day.costNanoUsd(), Long::sum);
                }
            }
        }
        return spend;
    }

    private static DailySpend asDailySpend(LedgerRecord record) {
        return new DailySpend(record.tenant(), day(record.tsStart().toEpochMilli()), 1, record.costNanoUsd());
    }

    private static LocalDate day(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, 86_400_000L));
    }
}
