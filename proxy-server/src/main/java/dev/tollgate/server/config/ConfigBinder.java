package dev.tollgate.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a parsed document into a {@link ProxyConfig}: the root, {@code server}, {@code metrics} and
 * {@code ledger} here; routes, tenants and pricing in their own binders. Sections are bound in an order that
 * lets later ones check references to earlier ones (a route's {@code pricing_profile}).
 */
final class ConfigBinder {

    private static final Set<String> WILDCARD_ADDRESSES = Set.of("0.0.0.0", "::", "[::]");

    private final Binding binding;

    ConfigBinder(Binding binding) {
        this.binding = binding;
    }

    ProxyConfig bind(@Nullable YamlNode root) {
        if (root == null) {
            throw new ConfigException(binding.source(), 0, 0, "",
                    "no settings (expected: a YAML mapping with at least 'routes')", null);
        }
        ConfigSection top = new ConfigValue(binding, root, "")
                .section(List.of("server", "routes", "tenants", "pricing", "metrics", "ledger"));
        ServerConfig server = server(section(top, "server", List.of(
                "bind", "port", "admin_bind", "admin_port", "admin_token", "max_request_body_bytes",
                "upstream_connect_timeout_ms", "upstream_idle_timeout_ms", "max_connections_per_route",
                "shutdown_grace_ms", "client_idle_timeout_ms", "client_body_timeout_ms", "io_threads",
                "busy_poll_us")));
        PricingConfig pricing = PricingBinder.pricing(section(top, "pricing", PricingBinder.KEYS));
        List<RouteConfig> routes = RoutesBinder.routes(
                top.required("routes", "a list of routes, each with prefix, provider and upstream"),
                pricing.profiles().keySet());
        TenantsConfig tenants = TenantsBinder.tenants(section(top, "tenants", TenantsBinder.KEYS));
        MetricsConfig metrics = metrics(section(top, "metrics", List.of("max_models_per_provider")));
        LedgerConfig ledger = ledger(section(top, "ledger", List.of("sink", "path", "retention_days")));
        return new ProxyConfig(server, routes, tenants, pricing, metrics, ledger, binding.source());
    }

    /** The section under {@code key}; absent is an empty section, positioned at its parent for messages. */
    private ConfigSection section(ConfigSection parent, String key, List<String> keys) {
        return parent.optional(key)
                .orElseGet(() -> new ConfigValue(binding, new YamlNode.Scalar(parent.self().node().mark(), null),
                        ConfigValue.child(parent.self().path(), key)))
                .section(keys);
    }

    private static ServerConfig server(ConfigSection section) {
        ServerConfig defaults = ServerConfig.defaults();
        String bind = section.optional("bind").map(ConfigBinder::address).orElse(defaults.bind());
        int port = section.optional("port").map(v -> v.intIn(0, 65_535)).orElse(defaults.port());
        String adminBind = section.optional("admin_bind").map(ConfigBinder::address).orElse(defaults.adminBind());
        int adminPort = section.optional("admin_port").map(v -> v.intIn(0, 65_535)).orElse(defaults.adminPort());
        String adminToken = section.optional("admin_token").map(v -> v.text("a token").strip()).orElse("");
        long maxBody = section.optional("max_request_body_bytes")
                .map(v -> v.longIn(1, Long.MAX_VALUE)).orElse(defaults.maxRequestBodyBytes());
        long connectMillis = section.optional("upstream_connect_timeout_ms")
                .map(v -> v.longIn(1, Long.MAX_VALUE)).orElse(defaults.upstreamConnectTimeoutMillis());
        long idleMillis = section.optional("upstream_idle_timeout_ms")
                .map(v -> v.longIn(1, Long.MAX_VALUE)).orElse(defaults.upstreamIdleTimeoutMillis());
        int maxConnections = section.optional("max_connections_per_route")
                .map(v -> v.intIn(1, Integer.MAX_VALUE)).orElse(defaults.maxConnectionsPerRoute());
        long graceMillis = section.optional("shutdown_grace_ms")
                .map(v -> v.longIn(0, Long.MAX_VALUE)).orElse(defaults.shutdownGraceMillis());
        long clientIdleMillis = section.optional("client_idle_timeout_ms")
                .map(v -> v.longIn(1, Long.MAX_VALUE)).orElse(defaults.clientIdleTimeoutMillis());
        long clientBodyMillis = section.optional("client_body_timeout_ms")
                .map(v -> v.longIn(1, Long.MAX_VALUE)).orElse(defaults.clientBodyTimeoutMillis());
        int ioThreads = section.optional("io_threads").map(v -> v.intIn(0, 1024)).orElse(defaults.ioThreads());
        long busyPollMicros = section.optional("busy_poll_us")
                .map(v -> v.longIn(0, ServerConfig.MAX_BUSY_POLL_MICROS)).orElse(defaults.busyPollMicros());
        if (port != 0 && port == adminPort && (bind.equals(adminBind)
                || WILDCARD_ADDRESSES.contains(bind) || WILDCARD_ADDRESSES.contains(adminBind))) {
            ConfigValue at = section.optional("admin_port").or(() -> section.optional("port")).orElse(section.self());
            throw at.error(adminPort + " (expected: a port other than server.port " + port
                    + ", since both listeners share an address)");
        }
        return new ServerConfig(bind, port, adminBind, adminPort, adminToken, maxBody, connectMillis, idleMillis,
                maxConnections, graceMillis, clientIdleMillis, clientBodyMillis, ioThreads, busyPollMicros);
    }

    private static String address(ConfigValue value) {
        String expected = "an IP address or host name, such as 0.0.0.0 or 127.0.0.1";
        String text = value.string(expected);
        if (!text.matches("[A-Za-z0-9.:%\\[\\]_-]+")) {
            throw value.error(ConfigValue.quote(text) + " (expected: " + expected + ")");
        }
        return text;
    }

    private static MetricsConfig metrics(ConfigSection section) {
        return new MetricsConfig(section.optional("max_models_per_provider")
                .map(v -> v.intIn(1, 100_000)).orElse(MetricsConfig.defaults().maxModelsPerProvider()));
    }

    private static LedgerConfig ledger(ConfigSection section) {
        LedgerConfig defaults = LedgerConfig.defaults();
        String sink = section.optional("sink").map(ConfigBinder::sink).orElse(defaults.sink());
        String path = section.optional("path").map(v -> v.string("a file path")).orElse(defaults.path());
        int retentionDays = section.optional("retention_days")
                .map(v -> v.intIn(1, Integer.MAX_VALUE)).orElse(defaults.retentionDays());
        return new LedgerConfig(sink, path, retentionDays);
    }

    private static String sink(ConfigValue value) {
        String expected = "sqlite, jsonl or none";
        String text = value.string(expected).toLowerCase(Locale.ROOT);
        if (!LedgerConfig.SINKS.contains(text)) {
            throw value.error(ConfigValue.quote(text) + " (expected: " + expected + ")");
        }
        return text;
    }
}
