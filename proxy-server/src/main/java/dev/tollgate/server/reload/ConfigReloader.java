package dev.tollgate.server.reload;

import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.SpendSource;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.server.budget.BudgetEnforcers;
import dev.tollgate.server.config.ConfigException;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.config.ProxyConfig;
import dev.tollgate.server.metrics.BudgetMetrics;
import dev.tollgate.server.pricing.PriceTables;
import dev.tollgate.server.tenant.TenantResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/reload}: re-reads the config file, validates it whole, and only then swaps in
 * its tenants, keys, budgets and pricing. A file that does not load is refused with its
 * {@code file:line:column} reason and the running config is kept. Budgets keep their spend and the
 * holds of requests in flight (see {@link BudgetEnforcer#reconfigure}). Sections that need new
 * listeners or meters (server, routes, metrics, ledger, attribution tags) are reported, not applied.
 *
 * <p>Blocking (file and ledger reads): call it from the admin executor, never an event loop. Calls
 * are serialised by that single-threaded executor.
 */
public final class ConfigReloader {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final @Nullable Path configFile;
    private final ConfigLoader loader;
    private final LiveConfig live;
    private final SpendSource ledger;
    private final BudgetMetrics budgetMetrics;
    private final Clock clock;

    /**
     * @param configFile the file the server started from, or null when it runs the embedded default
     * @param ledger     past spend of budgets that a reload adds
     */
    public ConfigReloader(@Nullable Path configFile, ConfigLoader loader, LiveConfig live, SpendSource ledger,
            BudgetMetrics budgetMetrics, Clock clock) {
        this.configFile = configFile;
        this.loader = loader;
        this.live = live;
        this.ledger = ledger;
        this.budgetMetrics = budgetMetrics;
        this.clock = clock;
    }

    public Result reload() {
        if (configFile == null) {
            return Result.refused("Tollgate is running the embedded default config; start it with --config FILE to reload.");
        }
        LiveConfig.Snapshot running = live.current();
        ProxyConfig next;
        PriceTable prices;
        try {
            next = loader.load(configFile);
            prices = PriceTables.from(next.pricing());
        } catch (ConfigException | IllegalArgumentException | java.io.UncheckedIOException e) {
            log.warn("Config reload refused, running config kept: {}", e.getMessage());
            return Result.refused(e.getMessage());
        }
        BudgetEnforcer budgets = running.budgets().reconfigure(BudgetEnforcers.budgetsOf(next.tenants()), ledger, clock.instant());
        ProxyConfig applied = new ProxyConfig(running.config().server(), running.config().routes(), next.tenants(),
                next.pricing(), running.config().metrics(), running.config().ledger(), next.source());
        live.replace(new LiveConfig.Snapshot(applied, new TenantResolver(next.tenants()), prices, budgets));
        budgetMetrics.refresh();
        List<String> restartNeeded = restartNeeded(running.config(), next);
        log.info("Config reloaded from {}: {} tenants, {} budgets{}", configFile, next.tenants().list().size(),
                budgets.budgets().size(), restartNeeded.isEmpty() ? "" : "; needs a restart to apply: " + restartNeeded);
        return new Result(true, "reloaded " + configFile, restartNeeded);
    }

    private static List<String> restartNeeded(ProxyConfig running, ProxyConfig next) {
        List<String> sections = new ArrayList<>();
        if (!running.server().equals(next.server())) {
            sections.add("server");
        }
        if (!running.routes().equals(next.routes())) {
            sections.add("routes");
        }
        if (!running.metrics().equals(next.metrics())) {
            sections.add("metrics");
        }
        if (!running.ledger().equals(next.ledger())) {
            sections.add("ledger");
        }
        if (!Objects.equals(running.tenants().attributionTags(), next.tenants().attributionTags())) {
            sections.add("tenants.attribution_tags");
        }
        return List.copyOf(sections);
    }

    /**
     * What a reload did.
     *
     * @param applied       whether the new config is now serving
     * @param message       the reason when refused ({@code file:line:column: key: problem}), else a summary
     * @param restartNeeded changed sections that only a restart applies
     */
    public record Result(boolean applied, String message, List<String> restartNeeded) {

        static Result refused(String message) {
            return new Result(false, message, List.of());
        }
    }
}
