package dev.tollgate.server.reload;

import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.server.config.ProxyConfig;
import dev.tollgate.server.tenant.TenantResolver;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The part of the configuration a reload may change, as one immutable snapshot behind an atomic
 * reference: a request reads it once per look-up and never sees half a reload. Lock-free.
 */
public final class LiveConfig {

    private final AtomicReference<Snapshot> current;

    public LiveConfig(Snapshot initial) {
        this.current = new AtomicReference<>(initial);
    }

    public Snapshot current() {
        return current.get();
    }

    void replace(Snapshot next) {
        current.set(next);
    }

    public Supplier<TenantResolver> tenants() {
        return () -> current.get().tenants();
    }

    public Supplier<PriceTable> prices() {
        return () -> current.get().prices();
    }

    public Supplier<BudgetEnforcer> budgets() {
        return () -> current.get().budgets();
    }

    /** {@code pricing.unpriced: allow}. */
    public BooleanSupplier allowUnpriced() {
        return () -> current.get().config().pricing().allowUnpriced();
    }

    /**
     * One consistent configuration.
     *
     * @param config the config it was built from (its server and routes sections are the ones the
     *               listeners started with, whatever a reload read)
     */
    public record Snapshot(ProxyConfig config, TenantResolver tenants, PriceTable prices, BudgetEnforcer budgets) {}
}
