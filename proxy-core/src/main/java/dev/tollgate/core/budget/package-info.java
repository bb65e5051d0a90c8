/**
 * Budgets (CONTRACT §4, §5): per-tenant spending limits over UTC calendar windows, enforced before a
 * request is forwarded. {@link dev.tollgate.core.budget.BudgetWindow} does the period arithmetic and
 * names each period ({@code 2026-11}, {@code 2026-W48}, {@code 2026-11-27});
 * {@link dev.tollgate.core.budget.BudgetEnforcer} keeps spend and open holds per (budget, period) as
 * integer nano-USD, updated lock-free with compare-and-set, so a new period starts from zero by itself
 * and a burst of concurrent requests cannot pass a hard limit; {@link dev.tollgate.core.budget.CostBound}
 * computes the upper bound of a request's cost that is held while it runs; a
 * {@link dev.tollgate.core.budget.SpendSource} (the ledger) rebuilds spend at start-up.
 */
@NullMarked
package dev.tollgate.core.budget;

import org.jspecify.annotations.NullMarked;
