package dev.tollgate.core.budget;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a budget covers: UTC calendar periods, named by a window id, so that spend keyed by
 * (tenant, window id) starts from zero in each new period without any reset job.
 *
 * <pre>{@code
 * BudgetPeriod p = BudgetWindow.WEEKLY.periodAt(Instant.parse("2026-11-27T10:00:00Z"));
 * p.id();     // "2026-W48"
 * p.start();  // 2026-11-23T00:00:00Z (Monday)
 * p.end();    // 2026-11-30T00:00:00Z (exclusive)
 * BudgetWindow.parse("2026-W48").equals(p); // true
 * }</pre>
 *
 * <p>Window ids have a fixed width for years 0000-9999, so ids of one window sort chronologically as
 * strings. Ids of different windows never look alike: {@code yyyy-MM} (monthly),
 * {@code yyyy-'W'ww} with the ISO week-based year (weekly), {@code yyyy-MM-dd} (daily).
 */
public enum BudgetWindow {
    /** A UTC calendar day, id {@code 2026-11-27}. */
    DAILY,
    /** An ISO week, Monday 00:00 UTC to the next Monday, id {@code 2026-W48} (ISO week-based year). */
    WEEKLY,
    /** A UTC calendar month, id {@code 2026-11}. */
    MONTHLY;

    private static final Pattern DAY_ID = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern WEEK_ID = Pattern.compile("(\\d{4})-W(\\d{2})");
    private static final Pattern MONTH_ID = Pattern.compile("(\\d{4})-(\\d{2})");

    /** The config and metric label name: {@code daily}, {@code weekly}, {@code monthly}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The period of this window that contains {@code instant} (start inclusive, end exclusive). */
    public BudgetPeriod periodAt(Instant instant) {
        return periodOf(LocalDate.ofInstant(instant, ZoneOffset.UTC));
    }

    /**
     * The period named by {@code id}, whichever window it belongs to.
     *
     * @throws IllegalArgumentException when {@code id} is not a window id of any window
     */
    public static BudgetPeriod parse(String id) {
        try {
            Matcher day = DAY_ID.matcher(id);
            if (day.matches()) {
                return DAILY.periodOf(LocalDate.parse(id));
            }
            Matcher week = WEEK_ID.matcher(id);
            if (week.matches()) {
                int year = Integer.parseInt(week.group(1));
                int number = Integer.parseInt(week.group(2));
                LocalDate inWeek = LocalDate.of(year, 6, 1).with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, 1);
                if (number < 1 || number > inWeek.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
                    throw new IllegalArgumentException("window id: " + id + " (expected: a week 01-"
                            + inWeek.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum() + " of " + year + ")");
                }
                return WEEKLY.periodOf(inWeek.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, number));
            }
            Matcher month = MONTH_ID.matcher(id);
            if (month.matches()) {
                return MONTHLY.periodOf(LocalDate.of(Integer.parseInt(month.group(1)), Integer.parseInt(month.group(2)), 1));
            }
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("window id: " + id + " (expected: a valid date)", e);
        }
        throw new IllegalArgumentException("window id: " + id + " (expected: yyyy-MM-dd, yyyy-Www or yyyy-MM)");
    }

    private BudgetPeriod periodOf(LocalDate day) {
        LocalDate start;
        LocalDate end;
        String id;
        switch (this) {
            case DAILY -> {
                start = day;
                end = day.plusDays(1);
                id = day.toString();
            }
            case WEEKLY -> {
                start = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                end = start.plus(1, ChronoUnit.WEEKS);
                id = String.format(Locale.ROOT, "%04d-W%02d", start.get(IsoFields.WEEK_BASED_YEAR),
                        start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            }
            case MONTHLY -> {
                start = day.withDayOfMonth(1);
                end = start.plusMonths(1);
                id = String.format(Locale.ROOT, "%04d-%02d", start.getYear(), start.getMonthValue());
            }
            default -> throw new AssertionError(this);
        }
        return new BudgetPeriod(this, id, start.atStartOfDay(ZoneOffset.UTC).toInstant(),
                end.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
