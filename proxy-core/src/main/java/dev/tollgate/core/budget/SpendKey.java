package dev.tollgate.core.budget;

import dev.tollgate.core.tenant.TenantId;
import java.util.Objects;

/**
 * What budget spend is keyed by (CONTRACT §5): a tenant and a window id such as {@code 2026-11},
 * {@code 2026-W48} or {@code 2026-11-27} (see {@link BudgetWindow#parse}).
 */
public record SpendKey(TenantId tenant, String windowId) {

    public SpendKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(windowId, "windowId");
    }

    public static SpendKey of(TenantId tenant, String windowId) {
        return new SpendKey(tenant, windowId);
    }
}
