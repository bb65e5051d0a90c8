package dev.tollgate.core.budget;

import dev.tollgate.core.tenant.TenantId;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted request's claim on its tenant's budgets: the request's cost upper bound is held
 * against each rejecting budget until {@link BudgetEnforcer#settle} or {@link BudgetEnforcer#release}
 * replaces it with the actual cost. Alert-only budgets hold nothing but are remembered, so that the
 * spend lands in every budget of the tenant, in the periods in which the request started.
 *
 * <p>Thread-safe; settling is idempotent: only the first settle or release counts.
 */
public final class Reservation implements BudgetDecision {

    private final TenantId tenant;
    private final long upperBoundNanoUsd;
    private final WindowTally[] tallies;
    private final long[] holds;
    private final long remainingNanoUsd;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(TenantId tenant, long upperBoundNanoUsd, WindowTally[] tallies, long[] holds, long remainingNanoUsd) {
        this.tenant = tenant;
        this.upperBoundNanoUsd = upperBoundNanoUsd;
        this.tallies = tallies;
        this.holds = holds;
        this.remainingNanoUsd = remainingNanoUsd;
    }

    /** A reservation of a tenant without budgets: nothing held, nothing to settle. */
    static Reservation unbudgeted(TenantId tenant, long upperBoundNanoUsd) {
        return new Reservation(tenant, upperBoundNanoUsd, new WindowTally[0], new long[0], -1);
    }

    @Override
    public boolean admitted() {
        return true;
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The amount held against each rejecting budget, in nano-USD. */
    public long upperBoundNanoUsd() {
        return upperBoundNanoUsd;
    }

    /** Whether the tenant has any budget (otherwise settling does nothing). */
    public boolean budgeted() {
        return tallies.length > 0;
    }

    /**
     * The tenant's tightest remaining budget just after this reservation was taken (its own hold
     * deducted), in nano-USD, {@code >= 0}; -1 when the tenant has no budget.
     */
    public long remainingNanoUsd() {
        return remainingNanoUsd;
    }

    /** Whether {@link BudgetEnforcer#settle} or {@link BudgetEnforcer#release} was already called. */
    public boolean isSettled() {
        return settled.get();
    }

    /** Replaces the holds with {@code actualNanoUsd} of spend in every budget; false if already settled. */
    boolean settle(long actualNanoUsd) {
        if (actualNanoUsd < 0) {
            throw new IllegalArgumentException("actualNanoUsd: " + actualNanoUsd + " (expected: >= 0)");
        }
        if (tallies.length == 0 || !settled.compareAndSet(false, true)) {
            return false;
        }
        for (int i = 0; i < tallies.length; i++) {
            tallies[i].add(actualNanoUsd, holds[i]);
        }
        return true;
    }

    @Override
    public String toString() {
        return "Reservation[" + tenant + ", " + upperBoundNanoUsd + " nano-USD held in " + tallies.length
                + " budgets" + (settled.get() ? ", settled]" : "]");
    }
}
