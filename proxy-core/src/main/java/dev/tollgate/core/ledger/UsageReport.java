package dev.tollgate.core.ledger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Ledger records summed per group: the body of {@code tollgate report} and {@code /admin/usage}. Columns
 * are the group-by keys, then {@link #VALUE_COLUMNS} (CONTRACT §8). Every sum is exact, so the
 * {@linkplain #total() total} equals the sum of the rows and of the records, to the nano-dollar.
 * Rows are sorted by their key values (missing values last). Immutable.
 *
 * <pre>{@code
 * UsageReport report = UsageReport.of(reader, TimeRange.parse("2026-11-01", "2026-12-01"),
 *         GroupKey.parseList("tenant,model"));
 * ReportFormat.TABLE.write(report, System.out);
 * }</pre>
 */
public final class UsageReport {

    /** The columns after the group-by keys, in order. */
    public static final List<String> VALUE_COLUMNS = List.of(
            "requests", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "cost_usd");

    private static final Comparator<@Nullable String> VALUE_ORDER =
            Comparator.nullsLast(Comparator.<String>naturalOrder());
    private static final Comparator<Row> ROW_ORDER = (a, b) -> {
        for (int i = 0; i < a.keys().size(); i++) {
            int c = VALUE_ORDER.compare(a.keys().get(i), b.keys().get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private final List<GroupKey> groupBy;
    private final List<Row> rows;
    private final UsageTotals total;

    private UsageReport(List<GroupKey> groupBy, List<Row> rows, UsageTotals total) {
        this.groupBy = groupBy;
        this.rows = rows;
        this.total = total;
    }

    /** Sums the records of {@code range} that {@code reader} holds. */
    public static UsageReport of(LedgerReader reader, TimeRange range, List<GroupKey> groupBy) throws IOException {
        Builder builder = builder(groupBy);
        reader.scan(range, builder::add);
        return builder.build();
    }

    /** Starts an empty report; add records, then build. */
    public static Builder builder(List<GroupKey> groupBy) {
        return new Builder(groupBy);
    }

    /** The group-by keys. */
    public List<GroupKey> groupBy() {
        return groupBy;
    }

    /** Every column name: the group-by keys, then {@link #VALUE_COLUMNS}. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        groupBy.forEach(k -> columns.add(k.column()));
        columns.addAll(VALUE_COLUMNS);
        return columns;
    }

    /** One row per distinct combination of key values, sorted. */
    public List<Row> rows() {
        return rows;
    }

    /** The sums over every record. */
    public UsageTotals total() {
        return total;
    }

    /**
     * One group.
     *
     * @param keys   the group's key values, one per group-by key, null where records have none
     * @param totals its sums
     */
    public record Row(List<@Nullable String> keys, UsageTotals totals) {}

    /** Accumulates records; not thread-safe. */
    public static final class Builder {
        private final List<GroupKey> groupBy;
        private final Map<List<@Nullable String>, UsageTotals> groups = new HashMap<>();

        private Builder(List<GroupKey> groupBy) {
            if (groupBy.isEmpty()) {
                throw new IllegalArgumentException("group-by: none (expected: at least one key)");
            }
            this.groupBy = List.copyOf(groupBy);
        }

        /** Adds one record to its group. */
        public Builder add(LedgerRecord record) {
            @Nullable String[] keys = new String[groupBy.size()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = groupBy.get(i).valueOf(record);
            }
            groups.merge(Collections.unmodifiableList(Arrays.asList(keys)), UsageTotals.ZERO.plus(record), UsageTotals::plus);
            return this;
        }

        /** The report so far. */
        public UsageReport build() {
            List<Row> rows = new ArrayList<>(groups.size());
            UsageTotals total = UsageTotals.ZERO;
            for (Map.Entry<List<@Nullable String>, UsageTotals> e : groups.entrySet()) {
                rows.add(new Row(e.getKey(), e.getValue()));
                total = total.plus(e.getValue());
            }
            rows.sort(ROW_ORDER);
            return new UsageReport(groupBy, List.copyOf(rows), total);
        }
    }
}
