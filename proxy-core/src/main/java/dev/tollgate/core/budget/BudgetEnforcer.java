package dev.tollgate.core.budget;

import dev.tollgate.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Enforces tenants' budgets before requests are forwarded, and keeps their spend per period.
 *
 * <p><b>Admission.</b> {@link #reserve} holds the request's cost upper bound (see {@link CostBound})
 * against every {@linkplain BudgetAction#REJECT rejecting} budget of the tenant, and refuses the
 * request when, for one of them, spend plus open holds plus this bound would pass the limit, or
 * spend plus holds has already reached it. The check and the hold are one compare-and-set on one
 * integer per (budget, period), so however many requests race, the sum of what is spent and held
 * never passes a limit: with a limit that fits exactly N bounds, exactly N requests are admitted.
 * When the request ends, {@link #settle} swaps its hold for its actual cost, in every budget of the
 * tenant, alert-only ones included; {@link #release} drops the hold when nothing was billed.
 *
 * <p><b>Overshoot.</b> Spend can pass a rejecting limit only by a request whose actual cost exceeds
 * the bound it was admitted with; with the bound of {@link CostBound} that happens only when the
 * request did not set its output limit ({@code max_tokens} and the like) and produced more than the
 * default allowance, or brought input the body does not show (see {@link CostBound}). The overshoot
 * is then at most the sum, over the requests admitted concurrently near the limit, of their excess
 * over their bounds. A tenant with several rejecting budgets may, under contention, see a request
 * refused that would just have fitted (a hold taken on one budget is given back when another
 * refuses): it errs on the side of refusing, never of overspending.
 *
 * <p><b>Periods.</b> Spend is keyed by (budget, window id); a request counts in the period in which
 * it started, and a request in a new period starts a fresh tally, so nothing needs resetting.
 * Open holds of a period that ended are settled into that period and do not affect the new one.
 *
 * <p><b>Restarts.</b> Spend lives in memory; {@link #seedFrom} (or {@link #seed}) adds the spend the
 * ledger recorded before start-up, before the proxy accepts traffic.
 *
 * <pre>{@code
 * BudgetEnforcer budgets = BudgetEnforcer.of(List.of(
 *         Budget.of(acme, BudgetWindow.MONTHLY, 500 * UsdFormat.NANO_PER_USD, BudgetAction.REJECT)));
 * budgets.seedFrom(ledger, clock.instant());
 * }</pre>
 *
 * <p>Thread-safe and lock-free: no method blocks, and the request path ({@link #reserve},
 * {@link #settle}, {@link #release}, {@link #remainingNanoUsd}) allocates only the reservation. The
 * set of budgets is fixed at construction; a config reload builds the next one with {@link #reconfigure}.
 */
public final class BudgetEnforcer {

    private static final BudgetEnforcer NONE = new BudgetEnforcer(List.of());

    private final List<Budget> budgets;
    private final Map<TenantId, TenantBudgets> byTenant;

    private BudgetEnforcer(Collection<Budget> budgets) {
        this(budgets, null);
    }

    /** Builds the states of {@code budgets}, carrying over those of {@code earlier} for the same (tenant, window). */
    private BudgetEnforcer(Collection<Budget> budgets, @Nullable BudgetEnforcer earlier) {
        this.budgets = List.copyOf(budgets);
        Map<TenantId, List<BudgetState>> states = new LinkedHashMap<>();
        for (Budget budget : this.budgets) {
            List<BudgetState> ofTenant = states.computeIfAbsent(budget.tenant(), t -> new ArrayList<>());
            for (BudgetState other : ofTenant) {
                if (other.budget.window() == budget.window()) {
                    throw new IllegalArgumentException("budget: " + budget + " (expected: one budget per tenant and window; "
                            + "already " + other.budget + ")");
                }
            }
            BudgetState previous = earlier == null ? null : earlier.state(budget.tenant(), budget.window());
            ofTenant.add(previous == null ? new BudgetState(budget) : new BudgetState(budget, previous));
        }
        Map<TenantId, TenantBudgets> built = new HashMap<>();
        states.forEach((tenant, list) -> built.put(tenant, new TenantBudgets(list.toArray(new BudgetState[0]))));
        this.byTenant = Map.copyOf(built);
    }

    /**
     * An enforcer of {@code budgets}, all starting with no spend.
     *
     * @throws IllegalArgumentException when a tenant has two budgets of the same window
     */
    public static BudgetEnforcer of(Collection<Budget> budgets) {
        return new BudgetEnforcer(budgets);
    }

    /** An enforcer without budgets: admits everything, records nothing. */
    public static BudgetEnforcer none() {
        return NONE;
    }

    /** Every budget, in the order given. */
    public List<Budget> budgets() {
        return budgets;
    }

    /** Whether {@code tenant} has any budget. */
    public boolean hasBudgets(TenantId tenant) {
        return byTenant.containsKey(tenant);
    }

    /** Whether {@code tenant} has a budget that refuses requests (and so may not send unpriced models). */
    public boolean rejects(TenantId tenant) {
        TenantBudgets t = byTenant.get(tenant);
        return t != null && t.rejecting;
    }

    /**
     * Admits a request of {@code tenant} whose cost is at most {@code upperBoundNanoUsd} and holds that
     * amount against each of its rejecting budgets, or refuses it. A tenant without budgets is always
     * admitted, with a reservation that holds nothing.
     *
     * @param now when the request started: selects the period it counts in
     * @throws IllegalArgumentException when {@code upperBoundNanoUsd} is negative
     */
    public BudgetDecision reserve(TenantId tenant, long upperBoundNanoUsd, Instant now) {
        if (upperBoundNanoUsd < 0) {
            throw new IllegalArgumentException("upperBoundNanoUsd: " + upperBoundNanoUsd + " (expected: >= 0)");
        }
        TenantBudgets t = byTenant.get(tenant);
        if (t == null) {
            return Reservation.unbudgeted(tenant, upperBoundNanoUsd);
        }
        BudgetState[] states = t.states;
        WindowTally[] tallies = new WindowTally[states.length];
        long[] holds = new long[states.length];
        for (int i = 0; i < states.length; i++) {
            tallies[i] = states[i].tallyAt(now);
            if (!states[i].budget.rejects()) {
                continue;
            }
            long remaining = tryHold(tallies[i], states[i].budget.limitNanoUsd(), upperBoundNanoUsd);
            if (remaining >= 0) {
                for (int j = 0; j < i; j++) {
                    tallies[j].addCommitted(-holds[j]); // give back what was taken: no partial holds
                }
                return refusal(states, tallies, i, remaining, upperBoundNanoUsd, now);
            }
            holds[i] = upperBoundNanoUsd;
        }
        return new Reservation(tenant, upperBoundNanoUsd, tallies, holds, tightestRemaining(states, tallies));
    }

    /**
     * Ends a reservation with the request's actual cost: drops its holds and adds {@code actualNanoUsd}
     * to the spend of every budget of the tenant, in the periods in which the request started. Only
     * the first settle or release of a reservation counts; later calls return false.
     *
     * @throws IllegalArgumentException when {@code actualNanoUsd} is negative
     */
    public boolean settle(Reservation reservation, long actualNanoUsd) {
        return reservation.settle(actualNanoUsd);
    }

    /** Ends a reservation of a request that was not billed (failed, refused upstream): drops its holds. */
    public boolean release(Reservation reservation) {
        return reservation.settle(0);
    }

    /**
     * The tenant's tightest remaining budget at {@code now}: the least {@code limit - spend - holds} over
     * all its budgets, alert-only ones included, floored at 0; -1 when the tenant has no budget.
     */
    public long remainingNanoUsd(TenantId tenant, Instant now) {
        TenantBudgets t = byTenant.get(tenant);
        if (t == null) {
            return -1;
        }
        long tightest = Long.MAX_VALUE;
        for (BudgetState state : t.states) {
            WindowTally tally = state.peek(now);
            long committed = tally == null ? 0 : tally.committed();
            tightest = Math.min(tightest, remaining(state.budget.limitNanoUsd(), committed));
        }
        return tightest;
    }

    /**
     * The settled spend of {@code tenant}'s budget of {@code window} in the period containing {@code now}
     * (the current one if {@code now} is earlier, as in {@link #reserve}); 0 if none.
     */
    public long spentNanoUsd(TenantId tenant, BudgetWindow window, Instant now) {
        BudgetState state = state(tenant, window);
        WindowTally tally = state == null ? null : state.peek(now);
        return tally == null ? 0 : tally.spent();
    }

    /** Every budget's figures in its period containing {@code now}, in the order of {@link #budgets()}. */
    public List<BudgetStatus> status(Instant now) {
        List<BudgetStatus> out = new ArrayList<>(budgets.size());
        for (Budget budget : budgets) {
            BudgetState state = state(budget.tenant(), budget.window());
            WindowTally tally = state.peek(now);
            long spent = tally == null ? 0 : tally.spent();
            long committed = tally == null ? 0 : tally.committed();
            BudgetPeriod period = tally == null ? budget.window().periodAt(now) : tally.period;
            out.add(new BudgetStatus(budget, period, spent, Math.max(0, committed - spent),
                    remaining(budget.limitNanoUsd(), committed)));
        }
        return out;
    }

    /**
     * Adds spend recorded before start-up to {@code tenant}'s budget whose window {@code windowId}
     * names ({@code 2026-11} the monthly one, {@code 2026-W48} the weekly one, {@code 2026-11-27} the
     * daily one). Ignored (false) when the tenant has no budget of that window or the period is over.
     * Adds rather than sets, so that seeding from several sources, or after some traffic that the
     * source did not include, sums up.
     *
     * @throws IllegalArgumentException when {@code windowId} is not a window id, or the spend is negative
     */
    public boolean seed(TenantId tenant, String windowId, long spentNanoUsd) {
        if (spentNanoUsd < 0) {
            throw new IllegalArgumentException("spentNanoUsd: " + spentNanoUsd + " (expected: >= 0)");
        }
        BudgetPeriod period = BudgetWindow.parse(windowId);
        BudgetState state = state(tenant, period.window());
        return state != null && state.seed(period, spentNanoUsd);
    }

    /**
     * Loads the spend of the current periods (at {@code now}) from {@code source} and seeds it. Call it
     * once at start-up, before traffic: spend already counted in memory would be added again.
     *
     * @return how many (tenant, window id) entries were applied
     */
    public int seedFrom(SpendSource source, Instant now) {
        return seedFrom(source, now, this);
    }

    /** Loads the spend of this enforcer's budgets' current periods and seeds it into {@code target}. */
    private int seedFrom(SpendSource source, Instant now, BudgetEnforcer target) {
        Set<BudgetWindow> windows = budgets.stream().map(Budget::window)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(BudgetWindow.class)));
        if (windows.isEmpty()) {
            return 0;
        }
        Set<BudgetPeriod> periods = windows.stream().map(w -> w.periodAt(now)).collect(Collectors.toUnmodifiableSet());
        int applied = 0;
        for (Map.Entry<SpendKey, Long> e : source.load(periods).entrySet()) {
            BudgetPeriod period = BudgetWindow.parse(e.getKey().windowId());
            if (periods.contains(period) && state(e.getKey().tenant(), period.window()) != null
                    && target.seed(e.getKey().tenant(), period.id(), e.getValue())) {
                applied++;
            }
        }
        return applied;
    }

    /**
     * An enforcer of a new set of budgets (a config reload) that goes on from this one: a budget of a
     * (tenant, window) this one has keeps its spend and open holds, and requests admitted here still
     * settle into it, whatever its new limit; a budget this one lacks starts from the spend that
     * {@code ledger} recorded in its current period. This enforcer stays valid for the requests it
     * admitted.
     */
    public BudgetEnforcer reconfigure(Collection<Budget> budgets, SpendSource ledger, Instant now) {
        BudgetEnforcer next = new BudgetEnforcer(budgets, this);
        List<Budget> fresh = next.budgets.stream().filter(b -> state(b.tenant(), b.window()) == null).toList();
        if (!fresh.isEmpty()) {
            BudgetEnforcer.of(fresh).seedFrom(ledger, now, next);
        }
        return next;
    }

    @Override
    public String toString() {
        return "BudgetEnforcer[" + budgets.size() + " budgets of " + byTenant.size() + " tenants]";
    }

    /**
     * Takes {@code amount} from the tally's room under {@code limit} with a compare-and-set; returns -1
     * when taken, or else the room left ({@code >= 0}) that was too small.
     */
    private static long tryHold(WindowTally tally, long limit, long amount) {
        for (;;) {
            long committed = tally.committed();
            long room = remaining(limit, committed);
            // Once nothing is left, even a request bounded at 0 is refused: an exhausted budget stays shut.
            if (room == 0 || amount > room) {
                return room;
            }
            if (tally.compareAndSetCommitted(committed, committed + amount)) {
                return -1;
            }
        }
    }

    /** The refusal by budget {@code refusing}, waiting also for every later rejecting budget that would refuse. */
    private static Refusal refusal(BudgetState[] states, WindowTally[] tallies, int refusing, long remaining,
            long amount, Instant now) {
        BudgetPeriod period = tallies[refusing].period;
        long retryAfter = period.secondsUntilEnd(now);
        for (int k = refusing + 1; k < states.length; k++) {
            Budget other = states[k].budget;
            if (other.rejects()) {
                WindowTally tally = states[k].tallyAt(now);
                long room = remaining(other.limitNanoUsd(), tally.committed());
                if (room == 0 || amount > room) {
                    retryAfter = Math.max(retryAfter, tally.period.secondsUntilEnd(now));
                }
            }
        }
        return new Refusal(states[refusing].budget, period, remaining, retryAfter);
    }

    private static long tightestRemaining(BudgetState[] states, WindowTally[] tallies) {
        long tightest = Long.MAX_VALUE;
        for (int i = 0; i < states.length; i++) {
            tightest = Math.min(tightest, remaining(states[i].budget.limitNanoUsd(), tallies[i].committed()));
        }
        return tightest;
    }

    private static long remaining(long limit, long committed) {
        return committed >= limit ? 0 : limit - committed;
    }

    private @Nullable BudgetState state(TenantId tenant, BudgetWindow window) {
        TenantBudgets t = byTenant.get(tenant);
        if (t == null) {
            return null;
        }
        for (BudgetState state : t.states) {
            if (state.budget.window() == window) {
                return state;
            }
        }
        return null;
    }

    /** One tenant's budgets; at most one per window, so at most three. */
    private static final class TenantBudgets {
        final BudgetState[] states;
        final boolean rejecting;

        TenantBudgets(BudgetState[] states) {
            this.states = states;
            boolean any = false;
            for (BudgetState s : states) {
                any |= s.budget.rejects();
            }
            this.rejecting = any;
        }
    }
}
