package dev.tollgate.server.metrics;

import dev.tollgate.core.budget.Budget;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.pricing.UsdFormat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;

/**
 * Exports every configured budget (CONTRACT §7): {@code tollgate_budget_limit_usd} and
 * {@code tollgate_budget_spend_usd}, labelled {@code tenant} and {@code window}
 * ({@code daily|weekly|monthly}). Spend is read from the enforcer at scrape time: the settled spend of
 * the period that contains the scrape's instant, so it drops to 0 when a window turns, and includes
 * the spend seeded from the ledger at start-up. Registered once, at start-up.
 */
public final class BudgetMetrics implements MeterBinder {

    private final BudgetEnforcer budgets;
    private final Clock clock;

    public BudgetMetrics(BudgetEnforcer budgets, Clock clock) {
        this.budgets = budgets;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Budget budget : budgets.budgets()) {
            String tenant = budget.tenant().value();
            String window = budget.window().label();
            double limit = UsdFormat.nanoToDouble(budget.limitNanoUsd());
            Gauge.builder("tollgate.budget.limit.usd", () -> limit)
                    .description("Budget limit in USD, per tenant and window")
                    .tags("tenant", tenant, "window", window)
                    .register(registry);
            Gauge.builder("tollgate.budget.spend.usd",
                            () -> UsdFormat.nanoToDouble(budgets.spentNanoUsd(budget.tenant(), budget.window(), clock.instant())))
                    .description("Spend in USD in the budget's current window (rebuilt from the ledger at start-up)")
                    .tags("tenant", tenant, "window", window)
                    .register(registry);
        }
    }
}
