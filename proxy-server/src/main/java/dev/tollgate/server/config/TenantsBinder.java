package dev.tollgate.server.config;

import dev.tollgate.core.budget.BudgetAction;
import dev.tollgate.core.budget.BudgetWindow;
import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds {@code tenants}: identification modes, attribution tags that are safe as metric labels, and the
 * tenant list with unique ids, well-formed unique key hashes and one budget per window.
 * Key values are never quoted back in messages: a malformed one may be a pasted secret.
 */
final class TenantsBinder {

    static final List<String> KEYS = List.of("identify_by", "header", "unknown", "attribution_tags", "list");
    /**
     * Labels Tollgate's own metrics use (CONTRACT.md §7), plus {@code job} and {@code instance}, which Prometheus
     * attaches to every scraped series; a tag with one of these names would collide with them.
     */
    static final Set<String> RESERVED_LABELS = Set.of("tenant", "provider", "model", "route", "code", "token_type",
            "source", "window", "reason", "le", "quantile", "sink", "job", "instance");

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String HASH_FORM = "sha256: followed by 64 lowercase hex digits";

    private TenantsBinder() {}

    static TenantsConfig tenants(ConfigSection section) {
        TenantsConfig defaults = TenantsConfig.defaults();
        List<IdentifyBy> identifyBy = section.optional("identify_by")
                .map(TenantsBinder::identifyBy).orElse(defaults.identifyBy());
        String header = section.optional("header").map(TenantsBinder::header).orElse(defaults.header());
        UnknownTenantPolicy unknown = section.optional("unknown")
                .map(v -> v.enumValue(UnknownTenantPolicy.class)).orElse(defaults.unknown());
        List<String> tags = section.optional("attribution_tags")
                .map(TenantsBinder::attributionTags).orElse(defaults.attributionTags());
        List<TenantConfig> list = section.optional("list").map(TenantsBinder::list).orElse(List.of());
        return new TenantsConfig(identifyBy, header, unknown, tags, list);
    }

    private static List<IdentifyBy> identifyBy(ConfigValue value) {
        List<ConfigValue> items = value.list("modes, such as [virtual_key, header]");
        if (items.isEmpty()) {
            throw value.error("no modes (expected: a list of modes, such as [virtual_key, header])");
        }
        List<IdentifyBy> modes = new ArrayList<>();
        for (ConfigValue item : items) {
            IdentifyBy mode = item.enumValue(IdentifyBy.class);
            if (modes.contains(mode)) {
                throw item.error(ConfigValue.quote(ConfigNames.of(mode)) + " is listed twice (expected: each mode once)");
            }
            modes.add(mode);
        }
        return modes;
    }

    private static String header(ConfigValue value) {
        String expected = "an HTTP header name such as X-Tollgate-Tenant";
        String text = value.string(expected);
        if (!HEADER_NAME.matcher(text).matches()) {
            throw value.error(ConfigValue.quote(text) + " (expected: " + expected + ")");
        }
        return text;
    }

    private static List<String> attributionTags(ConfigValue value) {
        List<String> tags = new ArrayList<>();
        for (ConfigValue item : value.list("tag keys, such as [feature, env]")) {
            String expected = "a Prometheus label name: letters, digits and '_', not starting with a digit or '__'";
            String tag = item.string(expected);
            if (!LABEL_NAME.matcher(tag).matches() || tag.startsWith("__")) {
                throw item.error(ConfigValue.quote(tag) + " (expected: " + expected + ")");
            }
            if (RESERVED_LABELS.contains(tag)) {
                throw item.error(ConfigValue.quote(tag) + " is a label of Tollgate's own metrics"
                        + " (expected: a name other than " + String.join(", ", RESERVED_LABELS.stream().sorted().toList()) + ")");
            }
            if (tags.contains(tag)) {
                throw item.error(ConfigValue.quote(tag) + " is listed twice (expected: each tag once)");
            }
            tags.add(tag);
        }
        return tags;
    }

    private static List<TenantConfig> list(ConfigValue value) {
        List<TenantConfig> tenants = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        Map<String, String> hashes = new HashMap<>();
        for (ConfigValue item : value.list("tenants, each with an id")) {
            ConfigSection section = item.section(List.of("id", "keys", "budgets"));
            ConfigValue idValue = section.required("id", "a tenant id such as acme");
            TenantId id = tenantId(idValue);
            String first = ids.putIfAbsent(id.value(), idValue.path());
            if (first != null) {
                throw idValue.error(ConfigValue.quote(id.value()) + " is already the id of " + first
                        + " (expected: each tenant once)");
            }
            List<String> keyHashes = new ArrayList<>();
            for (ConfigValue key : section.optional("keys").map(v -> v.list("key hashes")).orElse(List.of())) {
                String hash = keyHash(key, id);
                String owner = hashes.putIfAbsent(hash, key.path());
                if (owner != null) {
                    throw key.error("the same key hash as " + owner + " (expected: each key in one place only)");
                }
                keyHashes.add(hash);
            }
            List<BudgetConfig> budgets = section.optional("budgets").map(TenantsBinder::budgets).orElse(List.of());
            tenants.add(new TenantConfig(id, keyHashes, budgets));
        }
        return tenants;
    }

    private static TenantId tenantId(ConfigValue value) {
        String expected = "1-64 of letters, digits, '.', '_', '-', starting with a letter or digit";
        String text = value.string(expected);
        if (!TenantId.isValid(text)) {
            throw value.error(ConfigValue.quote(text) + " (expected: " + expected + ")");
        }
        if (text.equals(TenantId.UNKNOWN.value())) {
            throw value.error("'unknown' is what metrics call requests without a tenant (expected: another id)");
        }
        return TenantId.of(text);
    }

    private static String keyHash(ConfigValue value, TenantId tenant) {
        String text = value.text("a key hash: " + HASH_FORM).strip();
        if (KeyHash.isWellFormed(text)) {
            return text;
        }
        if (text.startsWith(KeyHash.KEY_PREFIX)) {
            throw value.error("a plaintext virtual key: only its hash may appear in the config (expected: " + HASH_FORM + "; 'java -jar tollgate.jar keygen --tenant "
                    + tenant.value() + "' prints a new key and its hash line)");
        }
        if (KeyHash.isWellFormed(text.toLowerCase(Locale.ROOT))) {
            throw value.error("hex digits in upper case (expected: " + HASH_FORM + ")");
        }
        throw value.error("not a key hash (expected: " + HASH_FORM + ", as printed by 'java -jar tollgate.jar keygen"
                + " --tenant " + tenant.value() + "')");
    }

    private static List<BudgetConfig> budgets(ConfigValue value) {
        List<BudgetConfig> budgets = new ArrayList<>();
        Map<BudgetWindow, String> windows = new EnumMap<>(BudgetWindow.class);
        for (ConfigValue item : value.list("budgets, each with window and limit_usd")) {
            ConfigSection section = item.section(List.of("window", "limit_usd", "action"));
            ConfigValue windowValue = section.required("window", ConfigNames.choices(BudgetWindow.class));
            BudgetWindow window = windowValue.enumValue(BudgetWindow.class);
            String first = windows.putIfAbsent(window, windowValue.path());
            if (first != null) {
                throw windowValue.error(ConfigValue.quote(ConfigNames.of(window)) + " is already the window of "
                        + first + " (expected: one budget per window)");
            }
            var limit = section.required("limit_usd", "a USD amount > 0").money(true);
            BudgetAction action = section.optional("action")
                    .map(v -> v.enumValue(BudgetAction.class)).orElse(BudgetAction.REJECT);
            budgets.add(new BudgetConfig(window, limit, action));
        }
        return budgets;
    }
}
