package dev.tollgate.core.ledger;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A half-open interval of time, {@code from <= t < to}: the {@code --from}/{@code --to} of
 * {@code tollgate report} (CONTRACT §2, §8).
 *
 * <pre>{@code
 * TimeRange.parse("2026-11-01", "2026-12-01");            // November, UTC
 * TimeRange.parse("2026-11-01T08:00:00Z", "2026-11-02");  // instants and dates mix
 * }</pre>
 *
 * @param from the first instant included
 * @param to   the first instant excluded; after {@code from}
 */
public record TimeRange(Instant from, Instant to) {

    public TimeRange {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("time range: " + from + " to " + to + " (expected: to after from)");
        }
    }

    /** The UTC days {@code from <= day < toExclusive}. */
    public static TimeRange of(LocalDate from, LocalDate toExclusive) {
        return new TimeRange(startOf(from), startOf(toExclusive));
    }

    /**
     * Parses {@code --from} and {@code --to}: each an ISO date ({@code 2026-11-01}, meaning its start, UTC)
     * or an ISO instant or offset date-time ({@code 2026-11-01T08:00:00Z}, {@code 2026-11-01T09:00+01:00}).
     *
     * @throws IllegalArgumentException naming the offending value
     */
    public static TimeRange parse(String from, String to) {
        return new TimeRange(parseBound("from", from), parseBound("to", to));
    }

    /** Whether {@code from <= t < to}. */
    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** The UTC day an instant falls on: the {@code day} of reports and daily aggregates. */
    public static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** The first instant of a UTC day. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Instant parseBound(String name, String text) {
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return startOf(LocalDate.parse(t));
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(name + ": '" + text
                    + "' (expected: an ISO date such as 2026-11-01 or an instant such as 2026-11-01T08:00:00Z)", e);
        }
    }
}
