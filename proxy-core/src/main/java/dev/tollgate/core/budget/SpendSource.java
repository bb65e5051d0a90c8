package dev.tollgate.core.budget;

import java.util.Map;
import java.util.Set;

/**
 * Where spend recorded before this process started comes from, so that budget spend survives a
 * restart: the ledger implements it (from an aggregate table, not by scanning every record), and
 * {@link BudgetEnforcer#seedFrom} applies it at start-up, before the proxy accepts traffic.
 *
 * <pre>{@code
 * SpendSource source = periods -> ledger.spendByTenant(periods); // Σ cost_nano_usd per (tenant, window id)
 * enforcer.seedFrom(source, clock.instant());
 * }</pre>
 */
@FunctionalInterface
public interface SpendSource {

    /**
     * The total cost, in nano-USD, of each tenant's requests that <em>started</em> in each of
     * {@code periods} ({@code ts_start} in {@code [start, end)}), keyed by tenant and
     * {@link BudgetPeriod#id()}. Requests are attributed to the period in which they started, as the
     * enforcer does. Keys with no spend may be left out. May block (it runs once, at start-up); a
     * failure propagates, since budgets without their past spend would let tenants overspend.
     *
     * @param periods the current period of every window some configured budget uses
     */
    Map<SpendKey, Long> load(Set<BudgetPeriod> periods);
}
