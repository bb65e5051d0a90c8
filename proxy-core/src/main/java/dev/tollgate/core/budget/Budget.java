package dev.tollgate.core.budget;

import dev.tollgate.core.tenant.TenantId;
import java.util.Objects;

/**
 * A spending limit of one tenant over one window (CONTRACT §4). Immutable.
 *
 * @param limitNanoUsd the limit in nano-USD (1e-9 USD); {@code > 0}
 */
public record Budget(TenantId tenant, BudgetWindow window, long limitNanoUsd, BudgetAction action) {

    public Budget {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(action, "action");
        if (limitNanoUsd <= 0) {
            throw new IllegalArgumentException("limitNanoUsd: " + limitNanoUsd + " (expected: > 0)");
        }
    }

    public static Budget of(TenantId tenant, BudgetWindow window, long limitNanoUsd, BudgetAction action) {
        return new Budget(tenant, window, limitNanoUsd, action);
    }

    /** Whether this budget refuses requests (rather than only reporting the overrun). */
    public boolean rejects() {
        return action == BudgetAction.REJECT;
    }
}
