package dev.tollgate.core.budget;

import java.util.Locale;

/** What a budget does once spend reaches its limit. */
public enum BudgetAction {
    /** Requests that could pass the limit get 429 {@code budget_exceeded} until the window ends. */
    REJECT,
    /** Requests pass; only metrics (and the alert rules on them) report the overrun. */
    ALERT_ONLY;

    /** The config name: {@code reject}, {@code alert_only}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
