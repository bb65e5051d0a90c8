package dev.tollgate.core.budget;

/**
 * A budget's figures in its current period, for metrics and the admin API. A snapshot: concurrent
 * requests may change them right after.
 *
 * @param spentNanoUsd     settled spend in the period
 * @param heldNanoUsd      upper bounds held by requests still running (0 for alert-only budgets)
 * @param remainingNanoUsd {@code limit - spent - held}, floored at 0
 */
public record BudgetStatus(Budget budget, BudgetPeriod period, long spentNanoUsd, long heldNanoUsd, long remainingNanoUsd) {}
