package dev.tollgate.core.ledger;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One {@code --group-by} key of {@code tollgate report}: {@code tenant}, {@code model} (billed, else
 * requested), {@code provider}, {@code route}, {@code endpoint}, {@code outcome}, {@code day} and
 * {@code month} (UTC, of {@code ts_start}), or {@code tag:<key>} (an attribution tag's value). A record
 * without a model or without the tag has no value for the key (an empty csv field, a json {@code null}).
 *
 * <pre>{@code
 * List<GroupKey> keys = GroupKey.parseList("tenant,tag:feature");   // columns "tenant", "tag:feature"
 * }</pre>
 */
public final class GroupKey {

    private static final String TAG_PREFIX = "tag:";
    private static final List<String> NAMES =
            List.of("tenant", "model", "provider", "route", "endpoint", "outcome", "day", "month");

    private final String column;
    private final Function<LedgerRecord, @Nullable String> value;

    private GroupKey(String column, Function<LedgerRecord, @Nullable String> value) {
        this.column = column;
        this.value = value;
    }

    /**
     * Parses one key.
     *
     * @throws IllegalArgumentException naming the key and the valid ones
     */
    public static GroupKey parse(String text) {
        String name = text.trim();
        if (name.regionMatches(true, 0, TAG_PREFIX, 0, TAG_PREFIX.length())) {
            String tag = name.substring(TAG_PREFIX.length());
            if (tag.isEmpty()) {
                throw new IllegalArgumentException("group-by: '" + text + "' (expected: tag:<key>, e.g. tag:feature)");
            }
            return new GroupKey(TAG_PREFIX + tag, r -> r.tags().get(tag));
        }
        String lower = name.toLowerCase(Locale.ROOT);
        Function<LedgerRecord, @Nullable String> value = switch (lower) {
            case "tenant" -> LedgerRecord::tenant;
            case "model" -> LedgerRecord::model;
            case "provider" -> LedgerRecord::provider;
            case "route" -> LedgerRecord::route;
            case "endpoint" -> LedgerRecord::endpoint;
            case "outcome" -> LedgerRecord::outcome;
            case "day" -> r -> TimeRange.day(r.tsStart()).toString();
            case "month" -> r -> YearMonth.from(r.tsStart().atOffset(ZoneOffset.UTC)).toString();
            default -> throw new IllegalArgumentException("group-by: '" + text + "' (expected: one of "
                    + String.join(", ", NAMES) + " or tag:<key>)");
        };
        return new GroupKey(lower, value);
    }

    /**
     * Parses a comma-separated list such as {@code tenant,model}.
     *
     * @throws IllegalArgumentException for an empty list, an unknown key or a key given twice
     */
    public static List<GroupKey> parseList(String text) {
        List<GroupKey> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("group-by: '" + text + "' (expected: keys separated by commas, e.g. tenant,model)");
            }
            GroupKey key = parse(part);
            if (!seen.add(key.column)) {
                throw new IllegalArgumentException("group-by: '" + key.column + "' given twice in '" + text + "'");
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }

    /** The output column name: the key as written, lowercased except a tag's key, e.g. {@code tag:feature}. */
    public String column() {
        return column;
    }

    /** The record's value for this key, or null when it has none. */
    public @Nullable String valueOf(LedgerRecord record) {
        return value.apply(record);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof GroupKey other && other.column.equals(column);
    }

    @Override
    public int hashCode() {
        return column.hashCode();
    }

    @Override
    public String toString() {
        return column;
    }
}
