package dev.tollgate.server.config;

import dev.tollgate.core.tenant.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code tenants.list}.
 *
 * @param id the tenant, as it appears in metrics and the ledger
 * @param keyHashes its virtual keys in stored form ({@code sha256:} + 64 lowercase hex), config key {@code keys}
 * @param budgets at most one per window
 */
public record TenantConfig(TenantId id, List<String> keyHashes, List<BudgetConfig> budgets) {

    public TenantConfig {
        Objects.requireNonNull(id, "id");
        keyHashes = List.copyOf(keyHashes);
        budgets = List.copyOf(budgets);
    }
}
