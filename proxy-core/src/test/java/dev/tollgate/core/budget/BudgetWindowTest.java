package dev.tollgate.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BudgetWindowTest {

    @ParameterizedTest(name = "{0} {1} -> {2} [{3}, {4})")
    @CsvSource({
        // window, instant, id, start, end
        "DAILY,   2026-11-27T10:15:30Z,          2026-11-27, 2026-11-27T00:00:00Z, 2026-11-28T00:00:00Z",
        "DAILY,   2026-11-27T00:00:00Z,          2026-11-27, 2026-11-27T00:00:00Z, 2026-11-28T00:00:00Z",
        "DAILY,   2026-11-27T23:59:59.999999999Z, 2026-11-27, 2026-11-27T00:00:00Z, 2026-11-28T00:00:00Z",
        "DAILY,   2024-02-29T12:00:00Z,          2024-02-29, 2024-02-29T00:00:00Z, 2024-03-01T00:00:00Z",
        "DAILY,   2026-12-31T23:00:00Z,          2026-12-31, 2026-12-31T00:00:00Z, 2027-01-01T00:00:00Z",
        "MONTHLY, 2026-11-27T10:15:30Z,          2026-11,    2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z",
        "MONTHLY, 2026-12-31T23:59:59Z,          2026-12,    2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
        "MONTHLY, 2024-02-10T00:00:00Z,          2024-02,    2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z",
        "MONTHLY, 2026-03-01T00:00:00Z,          2026-03,    2026-03-01T00:00:00Z, 2026-04-01T00:00:00Z",
        "WEEKLY,  2026-11-27T10:15:30Z,          2026-W48,   2026-11-23T00:00:00Z, 2026-11-30T00:00:00Z",
        "WEEKLY,  2026-11-23T00:00:00Z,          2026-W48,   2026-11-23T00:00:00Z, 2026-11-30T00:00:00Z",
        "WEEKLY,  2026-11-29T23:59:59Z,          2026-W48,   2026-11-23T00:00:00Z, 2026-11-30T00:00:00Z",
        // ISO weeks across a year end: 2025-12-29 (Mon) starts 2026-W01; 2021-01-03 (Sun) is in 2020-W53
        "WEEKLY,  2025-12-31T12:00:00Z,          2026-W01,   2025-12-29T00:00:00Z, 2026-01-05T00:00:00Z",
        "WEEKLY,  2026-01-04T23:59:59Z,          2026-W01,   2025-12-29T00:00:00Z, 2026-01-05T00:00:00Z",
        "WEEKLY,  2021-01-03T08:00:00Z,          2020-W53,   2020-12-28T00:00:00Z, 2021-01-04T00:00:00Z",
        "WEEKLY,  2026-12-31T08:00:00Z,          2026-W53,   2026-12-28T00:00:00Z, 2027-01-04T00:00:00Z",
        "WEEKLY,  2027-01-01T08:00:00Z,          2026-W53,   2026-12-28T00:00:00Z, 2027-01-04T00:00:00Z",
    })
    void periodsFollowUtcCalendarBoundaries(BudgetWindow window, Instant at, String id, Instant start, Instant end) {
        BudgetPeriod period = window.periodAt(at);

        assertThat(period).isEqualTo(new BudgetPeriod(window, id, start, end));
        assertThat(period.contains(at)).isTrue();
        assertThat(period.contains(end)).as("end is exclusive").isFalse();
        assertThat(window.periodAt(end.minusNanos(1))).isEqualTo(period);
        assertThat(window.periodAt(end)).isNotEqualTo(period);
        assertThat(BudgetWindow.parse(id)).as("the id names the period").isEqualTo(period);
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-30T23:59:59.5Z, 1",       // half a second left: round up
        "2026-11-30T23:59:59Z,   1",
        "2026-11-30T00:00:00Z,   86400",
        "2026-11-27T10:15:30Z,   308670",  // 3 days 13h 44m 30s
        "2026-11-01T00:00:00Z,   2592000", // the whole of November
    })
    void retryAfterRunsToTheNextMonthBoundary(Instant now, long seconds) {
        assertThat(BudgetWindow.MONTHLY.periodAt(now).secondsUntilEnd(now)).isEqualTo(seconds);
    }

    @ParameterizedTest
    @CsvSource({
        "2024-02-28T23:00:00Z, DAILY,   3600",
        "2024-02-29T00:00:00Z, MONTHLY, 86400",  // leap day: February 2024 ends a day later
        "2023-02-28T00:00:00Z, MONTHLY, 86400",
        "2026-01-04T12:00:00Z, WEEKLY,  43200",  // Sunday noon: the week ends at Monday 00:00
    })
    void retryAfterRunsToTheNextBoundary(Instant now, BudgetWindow window, long seconds) {
        assertThat(window.periodAt(now).secondsUntilEnd(now)).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13", "2026-02-30", "2026-W54", "2026-W00", "2021-W53", "26-11", "2026-11-27T00", "", "monthly"})
    void refusesIdsThatNameNoPeriod(String id) {
        assertThatThrownBy(() -> BudgetWindow.parse(id)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2020-W53", "2026-W53", "2015-W53", "2026-W01", "2024-02-29", "2000-02"})
    void idsRoundTrip(String id) {
        BudgetPeriod period = BudgetWindow.parse(id);
        assertThat(period.id()).isEqualTo(id);
        assertThat(period.window().periodAt(period.start())).isEqualTo(period);
    }

    @ParameterizedTest
    @CsvSource({"DAILY, daily", "WEEKLY, weekly", "MONTHLY, monthly"})
    void labels(BudgetWindow window, String label) {
        assertThat(window.label()).isEqualTo(label);
    }
}
