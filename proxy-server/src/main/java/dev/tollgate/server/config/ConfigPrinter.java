package dev.tollgate.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prints a {@link ProxyConfig} as the YAML that {@link ConfigLoader} reads, every default spelled out, for
 * {@code check-config}. Secrets ({@code api_key}, {@code admin_token}) print as {@value #MASK} when set.
 * Apart from those, the output loads back to an equal config: prices keep their exact decimal text, and a
 * literal {@code ${} in a value is written as {@code $${} so that it is not substituted again.
 */
public final class ConfigPrinter {

    /** What a configured secret prints as. */
    public static final String MASK = "***";

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigPrinter() {}

    /** The resolved config as YAML, preceded by a comment naming its source. */
    public static String toYaml(ProxyConfig config) {
        ObjectNode root = NODES.objectNode();
        server(root.putObject("server"), config.server());
        ArrayNode routes = root.putArray("routes");
        config.routes().forEach(route -> route(routes.addObject(), route));
        tenants(root.putObject("tenants"), config.tenants());
        pricing(root.putObject("pricing"), config.pricing());
        root.putObject("metrics").put("max_models_per_provider", config.metrics().maxModelsPerProvider());
        ObjectNode ledger = root.putObject("ledger");
        text(ledger, "sink", config.ledger().sink());
        text(ledger, "path", config.ledger().path());
        ledger.put("retention_days", config.ledger().retentionDays());
        try {
            return "# Resolved from " + config.source() + "; secrets are shown as " + MASK + ".\n"
                    + YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private static void server(ObjectNode node, ServerConfig server) {
        text(node, "bind", server.bind());
        node.put("port", server.port());
        text(node, "admin_bind", server.adminBind());
        node.put("admin_port", server.adminPort());
        text(node, "admin_token", server.hasAdminToken() ? MASK : "");
        node.put("max_request_body_bytes", server.maxRequestBodyBytes());
        node.put("upstream_connect_timeout_ms", server.upstreamConnectTimeoutMillis());
        node.put("upstream_idle_timeout_ms", server.upstreamIdleTimeoutMillis());
        node.put("max_connections_per_route", server.maxConnectionsPerRoute());
        node.put("shutdown_grace_ms", server.shutdownGraceMillis());
        node.put("client_idle_timeout_ms", server.clientIdleTimeoutMillis());
        node.put("client_body_timeout_ms", server.clientBodyTimeoutMillis());
        node.put("io_threads", server.ioThreads());
        node.put("busy_poll_us", server.busyPollMicros());
    }

    private static void route(ObjectNode node, RouteConfig route) {
        text(node, "prefix", route.prefix());
        text(node, "provider", route.provider().configName());
        text(node, "upstream", route.upstream().toString());
        if (route.hasApiKey()) {
            text(node, "api_key", MASK);
        }
        if (route.pricingProfile() != null) {
            text(node, "pricing_profile", route.pricingProfile());
        }
        node.put("inject_stream_usage", route.injectStreamUsage());
    }

    private static void tenants(ObjectNode node, TenantsConfig tenants) {
        ArrayNode modes = node.putArray("identify_by");
        tenants.identifyBy().forEach(mode -> modes.add(ConfigNames.of(mode)));
        text(node, "header", tenants.header());
        text(node, "unknown", ConfigNames.of(tenants.unknown()));
        ArrayNode tags = node.putArray("attribution_tags");
        tenants.attributionTags().forEach(tag -> tags.add(escape(tag)));
        ArrayNode list = node.putArray("list");
        for (TenantConfig tenant : tenants.list()) {
            ObjectNode entry = list.addObject();
            text(entry, "id", tenant.id().value());
            ArrayNode keys = entry.putArray("keys");
            tenant.keyHashes().forEach(keys::add);
            ArrayNode budgets = entry.putArray("budgets");
            for (BudgetConfig budget : tenant.budgets()) {
                ObjectNode b = budgets.addObject();
                text(b, "window", ConfigNames.of(budget.window()));
                money(b, "limit_usd", budget.limitUsd());
                text(b, "action", ConfigNames.of(budget.action()));
            }
        }
    }

    private static void pricing(ObjectNode node, PricingConfig pricing) {
        text(node, "catalog", pricing.catalog());
        ArrayNode overrides = node.putArray("overrides");
        for (PriceOverrideConfig override : pricing.overrides()) {
            ObjectNode o = overrides.addObject();
            text(o, "model", override.model());
            prices(o, override.input(), override.cachedInput(), override.cacheWrite(), override.cacheWrite1h(),
                    override.output());
            ArrayNode tiers = o.putArray("tiers");
            for (PriceTierConfig tier : override.tiers()) {
                ObjectNode t = tiers.addObject();
                t.put("from_input_tokens", tier.fromInputTokens());
                prices(t, tier.input(), tier.cachedInput(), tier.cacheWrite(), tier.cacheWrite1h(), tier.output());
            }
        }
        ObjectNode profiles = node.putObject("profiles");
        for (Map.Entry<String, GpuProfileConfig> entry : pricing.profiles().entrySet()) {
            ObjectNode p = profiles.putObject(entry.getKey());
            money(p, "gpu_hour_usd", entry.getValue().gpuHourUsd());
            p.put("gpus", entry.getValue().gpus());
            p.put("tokens_per_second", entry.getValue().tokensPerSecond());
        }
        text(node, "unpriced", pricing.allowUnpriced() ? "allow" : "reject");
    }

    private static void prices(ObjectNode node, BigDecimal input, @Nullable BigDecimal cachedInput,
            @Nullable BigDecimal cacheWrite, @Nullable BigDecimal cacheWrite1h, BigDecimal output) {
        money(node, "input", input);
        money(node, "cached_input", cachedInput);
        money(node, "cache_write", cacheWrite);
        money(node, "cache_write_1h", cacheWrite1h);
        money(node, "output", output);
    }

    /** As written: {@link DecimalNode} keeps the scale, which {@code JsonNodeFactory} may normalise away. */
    private static void money(ObjectNode node, String key, @Nullable BigDecimal value) {
        if (value != null) {
            node.set(key, DecimalNode.valueOf(value));
        }
    }

    private static void text(ObjectNode node, String key, String value) {
        node.put(key, escape(value));
    }

    /** Undoes what {@link EnvSubstitution} does to a literal {@code ${}. */
    private static String escape(String value) {
        return value.replace("${", "$${");
    }
}
