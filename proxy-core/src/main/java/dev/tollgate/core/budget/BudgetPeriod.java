package dev.tollgate.core.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One period of a {@link BudgetWindow}: {@code [start, end)} in UTC and its window id. Made by
 * {@link BudgetWindow#periodAt} or {@link BudgetWindow#parse}. Immutable.
 *
 * @param id    the window id, e.g. {@code 2026-11}: spend is keyed by (tenant, id)
 * @param start the first instant of the period
 * @param end   the first instant after the period: when its budget resets
 */
public record BudgetPeriod(BudgetWindow window, String id, Instant start, Instant end) {

    public BudgetPeriod {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(id, "id");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("period " + id + ": " + start + " to " + end + " (expected: start < end)");
        }
    }

    /** Whether {@code instant} falls in this period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /**
     * Whole seconds from {@code now} until this period ends, rounded up and at least 1: the
     * {@code Retry-After} of a request refused by a budget of this period.
     */
    public long secondsUntilEnd(Instant now) {
        Duration left = Duration.between(now, end);
        if (left.isNegative() || left.isZero()) {
            return 1;
        }
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
