package dev.tollgate.core.budget;

/**
 * A request refused by a rejecting budget: forwarding it could take spend past the limit.
 *
 * @param budget            the budget that refused (the first checked, when several would)
 * @param period            that budget's current period
 * @param remainingNanoUsd  what that budget has left, spend and open holds deducted; {@code >= 0}
 * @param retryAfterSeconds seconds until every refusing budget's period has ended, at least 1
 */
public record Refusal(Budget budget, BudgetPeriod period, long remainingNanoUsd, long retryAfterSeconds)
        implements BudgetDecision {

    @Override
    public boolean admitted() {
        return false;
    }
}
