package dev.tollgate.server.budget;

import dev.tollgate.core.budget.Budget;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.pricing.UsdFormat;
import dev.tollgate.server.config.BudgetConfig;
import dev.tollgate.server.config.TenantConfig;
import dev.tollgate.server.config.TenantsConfig;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link BudgetEnforcer} of the {@code tenants.list[].budgets} config. */
public final class BudgetEnforcers {

    private BudgetEnforcers() {}

    /** An enforcer of every configured budget, with no spend yet (seed it before serving). */
    public static BudgetEnforcer from(TenantsConfig tenants) {
        return BudgetEnforcer.of(budgetsOf(tenants));
    }

    /** Every configured budget, limits in nano-USD. */
    public static List<Budget> budgetsOf(TenantsConfig tenants) {
        List<Budget> budgets = new ArrayList<>();
        for (TenantConfig tenant : tenants.list()) {
            for (BudgetConfig budget : tenant.budgets()) {
                budgets.add(Budget.of(tenant.id(), budget.window(), UsdFormat.usdToNano(budget.limitUsd()), budget.action()));
            }
        }
        return budgets;
    }
}
