package dev.tollgate.core.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads ledger records back, for {@code tollgate report}, {@code /admin/usage} and
 * {@code /admin/requests/{id}}. Implementations are not required to be thread-safe.
 *
 * <pre>{@code
 * try (LedgerReader reader = LedgerReader.jsonl(Path.of("ledger.jsonl"), System.err::println)) {
 *     UsageReport report = UsageReport.of(reader, TimeRange.parse("2026-11-01", "2026-12-01"),
 *             GroupKey.parseList("tenant,model"));
 * }
 * }</pre>
 */
public interface LedgerReader extends Closeable {

    /**
     * Calls {@code action} for every record with {@code range.from() <= ts_start < range.to()}, in no
     * particular order.
     */
    void scan(TimeRange range, Consumer<LedgerRecord> action) throws IOException;

    /** The record with this {@code request_id}, if the ledger holds it. */
    Optional<LedgerRecord> find(String requestId) throws IOException;

    /**
     * Every tenant's spend per UTC day (of {@code ts_start}) for {@code from <= day < toExclusive}, sorted
     * by day then tenant. This default sums {@link #scan}; the SQLite reader answers from its aggregate
     * table without reading the records.
     */
    default List<DailySpend> dailySpend(LocalDate from, LocalDate toExclusive) throws IOException {
        if (!toExclusive.isAfter(from)) {
            return List.of();
        }
        Map<String, Map<LocalDate, long[]>> sums = new TreeMap<>();
        TimeRange range = TimeRange.of(from, toExclusive);
        scan(range, r -> {
            long[] sum = sums.computeIfAbsent(r.tenant(), t -> new TreeMap<>())
                    .computeIfAbsent(TimeRange.day(r.tsStart()), d -> new long[2]);
            sum[0]++;
            sum[1] = Math.addExact(sum[1], r.costNanoUsd());
        });
        List<DailySpend> out = new ArrayList<>();
        sums.forEach((tenant, days) -> days.forEach((day, sum) -> out.add(new DailySpend(tenant, day, sum[0], sum[1]))));
        out.sort(Comparator.comparing(DailySpend::day).thenComparing(DailySpend::tenant));
        return out;
    }

    /**
     * Reads the files that {@link LedgerSink#jsonl} writes for the configured {@code path} (and {@code path}
     * itself if it is a file). Lines that cannot be parsed (a line torn by a crash) are skipped and
     * described to {@code warnings}, with the file name and line number.
     */
    static LedgerReader jsonl(Path path, Consumer<String> warnings) {
        return new JsonlReader(new JsonlFiles(path), warnings);
    }

    /**
     * The files a {@code jsonl} ledger configured at {@code path} consists of: its daily files by date, then
     * {@code path} itself if it is a file. Empty when there is no such ledger.
     */
    static List<Path> jsonlFiles(Path path) throws IOException {
        JsonlFiles files = new JsonlFiles(path);
        List<Path> all = new ArrayList<>(files.list().values());
        if (Files.isRegularFile(path)) {
            all.add(path);
        }
        return all;
    }
}
