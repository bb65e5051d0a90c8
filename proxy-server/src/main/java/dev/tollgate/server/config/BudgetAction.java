package dev.tollgate.server.config;

/** What a budget does once spend reaches its limit. */
public enum BudgetAction {
    /** Further requests of the tenant get 429 {@code budget_exceeded} until the window ends. */
    REJECT,
    /** Requests pass; only metrics (and the alert rules on them) report the overrun. */
    ALERT_ONLY
}
