package dev.tollgate.core.pricing;

import dev.tollgate.core.usage.TokenUsage;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The price of one model over time: base {@link Rates}, optional tiers by request size, optional
 * daily UTC hour windows (DeepSeek's peak/off-peak prices) and optional dated changes (a price
 * that starts on a given day, announced ones in the future included).
 *
 * <p>{@link #ratesFor(TokenUsage, Instant)} picks, in this order:
 * <ol>
 *   <li>the <b>period</b>: the latest {@linkplain Builder#change change} whose start is {@code <= at},
 *       else the base period;</li>
 *   <li>within it, the last-added <b>hour window</b> whose UTC time-of-day range
 *       {@code [from, to)} contains {@code at}, else the period's own prices;</li>
 *   <li>within those, the highest <b>tier</b> whose {@code fromInputTokens <= usage.totalInput()}
 *       (uncached + cached + cache writes), else the base rates. A tier prices the whole request,
 *       not only the tokens above its start.</li>
 * </ol>
 *
 * <pre>{@code
 * ModelPrice sonnet = ModelPrice.builder(Rates.ofUsdPerMillion("3", "15"))
 *         .tier(200_001, Rates.ofUsdPerMillion("6", "22.5"))
 *         .change(Instant.parse("2026-03-13T00:00:00Z"), ModelPrice.of(Rates.ofUsdPerMillion("3", "15")))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #ratesFor} allocates nothing.
 */
public final class ModelPrice {

    private static final int SECONDS_PER_DAY = 86_400;

    /** A price that is the same for every request size and at every time. */
    public static ModelPrice of(Rates rates) {
        return builder(rates).build();
    }

    /** A builder whose base (undated, untiered, outside any hour window) rates are {@code base}. */
    public static Builder builder(Rates base) {
        return new Builder(base);
    }

    private final List<Period> periods; // ascending by start; periods.get(0) starts at Long.MIN_VALUE

    private ModelPrice(List<Period> periods) {
        this.periods = List.copyOf(periods);
    }

    /**
     * The rates that price {@code usage} for a request made at {@code at}.
     *
     * @param usage the request's tokens; only {@link TokenUsage#totalInput()} matters here (tiers)
     * @param at    when the request was made (its start); dated changes and hour windows are in UTC
     */
    public Rates ratesFor(TokenUsage usage, Instant at) {
        long epochSecond = at.getEpochSecond();
        Period period = periods.get(0);
        for (int i = periods.size() - 1; i > 0; i--) {
            if (epochSecond >= periods.get(i).fromEpochSecond()) {
                period = periods.get(i);
                break;
            }
        }
        Schedule schedule = period.schedule();
        List<Window> windows = period.windows();
        if (!windows.isEmpty()) {
            int secondOfDay = (int) Math.floorMod(epochSecond, (long) SECONDS_PER_DAY);
            for (int i = windows.size() - 1; i >= 0; i--) {
                if (windows.get(i).contains(secondOfDay)) {
                    schedule = windows.get(i).schedule();
                    break;
                }
            }
        }
        return schedule.forTotalInput(usage.totalInput());
    }

    /** The base rates: before any dated change, outside every hour window, below every tier. */
    public Rates baseRates() {
        return periods.get(0).schedule().base();
    }

    /** Whether this price is the same whatever the time (no dated changes, no hour windows). */
    public boolean isTimeIndependent() {
        return periods.size() == 1 && periods.get(0).windows().isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelPrice other && periods.equals(other.periods);
    }

    @Override
    public int hashCode() {
        return periods.hashCode();
    }

    /**
     * Every period, window and tier in USD per 1M tokens, e.g.
     * {@code ModelPrice[in 3, cached 0.3, write 3.75, write_1h 6, out 15; from 200001 input tokens: in 6, ...]}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ModelPrice[");
        for (Period p : periods) {
            if (p.fromEpochSecond() != Long.MIN_VALUE) {
                sb.append("; from ").append(Instant.ofEpochSecond(p.fromEpochSecond())).append(": ");
            }
            describe(sb, p.schedule());
            for (Window w : p.windows()) {
                sb.append("; hours ").append(LocalTime.ofSecondOfDay(w.fromSecondOfDay())).append('-')
                        .append(LocalTime.ofSecondOfDay(w.toSecondOfDay())).append(" UTC: ");
                describe(sb, w.schedule());
            }
        }
        return sb.append(']').toString();
    }

    private static void describe(StringBuilder sb, Schedule schedule) {
        describe(sb, schedule.base());
        for (Tier t : schedule.tiers()) {
            sb.append("; from ").append(t.fromInputTokens()).append(" input tokens: ");
            describe(sb, t.rates());
        }
    }

    private static void describe(StringBuilder sb, Rates r) {
        sb.append("in ").append(UsdFormat.femtoPerTokenToUsdPerMillion(r.inputFemtoUsd()))
                .append(", cached ").append(UsdFormat.femtoPerTokenToUsdPerMillion(r.cachedInputFemtoUsd()))
                .append(", write ").append(UsdFormat.femtoPerTokenToUsdPerMillion(r.cacheWrite5mFemtoUsd()))
                .append(", write_1h ").append(UsdFormat.femtoPerTokenToUsdPerMillion(r.cacheWrite1hFemtoUsd()))
                .append(", out ").append(UsdFormat.femtoPerTokenToUsdPerMillion(r.outputFemtoUsd()));
    }

    /** The single period of a price that has no dated changes. */
    private Period onlyPeriod(String use) {
        if (periods.size() != 1) {
            throw new IllegalArgumentException(use + ": " + this + " (expected: a price without dated changes)");
        }
        return periods.get(0);
    }

    /**
     * Builds a {@link ModelPrice}. Not thread-safe; {@link #build()} returns an immutable object and
     * the builder may be reused afterwards.
     */
    public static final class Builder {
        private final Rates base;
        private final List<Tier> tiers = new ArrayList<>();
        private final List<Window> windows = new ArrayList<>();
        private final List<Period> changes = new ArrayList<>();

        private Builder(Rates base) {
            this.base = Objects.requireNonNull(base, "base");
        }

        /**
         * From {@code fromInputTokens} total input tokens on, {@code rates} price the whole request.
         * Tiers may be added in any order; their starts must differ.
         *
         * @param fromInputTokens {@code > 0}
         */
        public Builder tier(long fromInputTokens, Rates rates) {
            if (fromInputTokens <= 0) {
                throw new IllegalArgumentException("fromInputTokens: " + fromInputTokens + " (expected: > 0)");
            }
            for (Tier t : tiers) {
                if (t.fromInputTokens() == fromInputTokens) {
                    throw new IllegalArgumentException("fromInputTokens: " + fromInputTokens
                            + " (expected: one tier per start)");
                }
            }
            tiers.add(new Tier(fromInputTokens, Objects.requireNonNull(rates, "rates")));
            return this;
        }

        /**
         * Every day from {@code fromUtc} (inclusive) to {@code toUtc} (exclusive), UTC, {@code price}
         * applies instead of the base rates and tiers. {@code toUtc} before {@code fromUtc} wraps past
         * midnight; {@code toUtc} of {@link LocalTime#MIDNIGHT} means until the end of the day. When
         * windows overlap, the one added last wins.
         *
         * @param price base rates and tiers only: no dated changes, no hour windows of its own
         */
        public Builder hours(LocalTime fromUtc, LocalTime toUtc, ModelPrice price) {
            if (fromUtc.equals(toUtc)) {
                throw new IllegalArgumentException("hours: " + fromUtc + " to " + toUtc
                        + " (expected: different times; a window lasts less than a day)");
            }
            Period p = price.onlyPeriod("hours " + fromUtc + "-" + toUtc);
            if (!p.windows().isEmpty()) {
                throw new IllegalArgumentException("hours " + fromUtc + "-" + toUtc + ": " + price
                        + " (expected: a price without hour windows of its own)");
            }
            windows.add(new Window(fromUtc.toSecondOfDay(), toUtc.toSecondOfDay(), p.schedule()));
            return this;
        }

        /**
         * From {@code from} on, {@code price} (with its own tiers and hour windows) replaces everything
         * that applied before. Changes may be added in any order; their starts must differ.
         *
         * @param price a price without dated changes of its own
         */
        public Builder change(Instant from, ModelPrice price) {
            Period p = price.onlyPeriod("change from " + from);
            for (Period c : changes) {
                if (c.fromEpochSecond() == from.getEpochSecond()) {
                    throw new IllegalArgumentException("change from " + from + " (expected: one change per start)");
                }
            }
            if (from.getNano() != 0) {
                throw new IllegalArgumentException("change from " + from + " (expected: whole seconds)");
            }
            changes.add(new Period(from.getEpochSecond(), p.schedule(), p.windows()));
            return this;
        }

        /** An immutable price. */
        public ModelPrice build() {
            List<Tier> sortedTiers = new ArrayList<>(tiers);
            sortedTiers.sort(Comparator.comparingLong(Tier::fromInputTokens));
            List<Period> periods = new ArrayList<>();
            periods.add(new Period(Long.MIN_VALUE, new Schedule(base, sortedTiers), windows));
            List<Period> sortedChanges = new ArrayList<>(changes);
            sortedChanges.sort(Comparator.comparingLong(Period::fromEpochSecond));
            periods.addAll(sortedChanges);
            return new ModelPrice(periods);
        }
    }

    /** Rates from a number of total input tokens on. */
    private record Tier(long fromInputTokens, Rates rates) {}

    /** Base rates and ascending tiers. */
    private record Schedule(Rates base, List<Tier> tiers) {
        Schedule {
            tiers = List.copyOf(tiers);
        }

        Rates forTotalInput(long totalInput) {
            for (int i = tiers.size() - 1; i >= 0; i--) {
                if (totalInput >= tiers.get(i).fromInputTokens()) {
                    return tiers.get(i).rates();
                }
            }
            return base;
        }
    }

    /** A daily UTC window {@code [from, to)} in seconds of the day; {@code to <= from} wraps past midnight. */
    private record Window(int fromSecondOfDay, int toSecondOfDay, Schedule schedule) {
        boolean contains(int secondOfDay) {
            return fromSecondOfDay < toSecondOfDay
                    ? secondOfDay >= fromSecondOfDay && secondOfDay < toSecondOfDay
                    : secondOfDay >= fromSecondOfDay || secondOfDay < toSecondOfDay;
        }
    }

    /** Prices from an instant (epoch seconds) until the next period. */
    private record Period(long fromEpochSecond, Schedule schedule, List<Window> windows) {
        Period {
            windows = List.copyOf(windows);
        }
    }
}
