package dev.tollgate.server.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete, validated Tollgate configuration, as {@link ConfigLoader} produces it.
 *
 * @param source where it came from: the file path as given, or {@link #EMBEDDED_DEFAULT}
 */
public record ProxyConfig(
        ServerConfig server,
        List<RouteConfig> routes,
        TenantsConfig tenants,
        PricingConfig pricing,
        MetricsConfig metrics,
        LedgerConfig ledger,
        String source) {

    /** The {@link #source()} of the config built into the jar. */
    public static final String EMBEDDED_DEFAULT = "<embedded default>";

    public ProxyConfig {
        Objects.requireNonNull(server, "server");
        routes = List.copyOf(routes);
        Objects.requireNonNull(tenants, "tenants");
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(source, "source");
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("routes: [] (expected: at least one route)");
        }
    }

    /** The route with exactly this prefix, if any. Request matching (longest prefix) is the server's job. */
    public Optional<RouteConfig> route(String prefix) {
        return routes.stream().filter(r -> r.prefix().equals(prefix)).findFirst();
    }
}
