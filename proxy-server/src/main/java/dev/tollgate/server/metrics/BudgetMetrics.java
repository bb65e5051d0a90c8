package dev.tollgate.server.metrics;

import dev.tollgate.core.budget.Budget;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.BudgetWindow;
import dev.tollgate.core.pricing.UsdFormat;
import dev.tollgate.core.tenant.TenantId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Exports every configured budget (CONTRACT §7): {@code tollgate_budget_limit_usd} and
 * {@code tollgate_budget_spend_usd}, labelled {@code tenant} and {@code window}
 * ({@code daily|weekly|monthly}). Both are read from the current enforcer at scrape time: spend is
 * the settled spend of the period containing the scrape's instant, so it drops to 0 when a window
 * turns, and includes the spend seeded from the ledger at start-up. {@link #refresh} after a config
 * reload adds the gauges of new budgets and removes those of budgets that are gone.
 */
public final class BudgetMetrics {

    private final Supplier<BudgetEnforcer> budgets;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<Key, List<Meter>> registered = new HashMap<>();

    public BudgetMetrics(Supplier<BudgetEnforcer> budgets, Clock clock, MeterRegistry registry) {
        this.budgets = budgets;
        this.clock = clock;
        this.registry = registry;
        refresh();
    }

    /**
     * Registers the gauges of budgets that have none yet, and removes those of budgets now gone. Called
     * at start-up and by reloads, which the admin executor runs one at a time.
     */
    public void refresh() {
        Set<Key> current = new HashSet<>();
        for (Budget budget : budgets.get().budgets()) {
            Key key = new Key(budget.tenant(), budget.window());
            current.add(key);
            registered.computeIfAbsent(key, this::register);
        }
        registered.entrySet().removeIf(entry -> {
            if (current.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            return true;
        });
    }

    private List<Meter> register(Key key) {
        String tenant = key.tenant.value();
        String window = key.window.label();
        Gauge limit = Gauge.builder("tollgate.budget.limit.usd", () -> limitOf(key))
                .description("Budget limit in USD, per tenant and window")
                .tags("tenant", tenant, "window", window)
                .register(registry);
        Gauge spend = Gauge.builder("tollgate.budget.spend.usd",
                        () -> UsdFormat.nanoToDouble(budgets.get().spentNanoUsd(key.tenant, key.window, clock.instant())))
                .description("Spend in USD in the budget's current window (rebuilt from the ledger at start-up)")
                .tags("tenant", tenant, "window", window)
                .register(registry);
        return List.of(limit, spend);
    }

    private double limitOf(Key key) {
        for (Budget budget : budgets.get().budgets()) {
            if (budget.tenant().equals(key.tenant) && budget.window() == key.window) {
                return UsdFormat.nanoToDouble(budget.limitNanoUsd());
            }
        }
        return Double.NaN;
    }

    private record Key(TenantId tenant, BudgetWindow window) {}
}
