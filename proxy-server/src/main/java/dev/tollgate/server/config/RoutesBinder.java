package dev.tollgate.server.config;

import dev.tollgate.core.provider.ProviderKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Binds {@code routes}: prefixes unique and well formed, upstreams absolute http(s) URIs, profiles defined. */
final class RoutesBinder {

    private static final List<String> KEYS = List.of(
            "prefix", "provider", "upstream", "api_key", "pricing_profile", "inject_stream_usage");
    /** Path segments made of RFC 3986 path characters, no empty segment, no query. */
    private static final Pattern PREFIX = Pattern.compile("/|(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)+");
    private static final String PROVIDERS = "openai, anthropic, openai-compatible or ollama";

    private RoutesBinder() {}

    static List<RouteConfig> routes(ConfigValue value, Set<String> profiles) {
        List<ConfigValue> items = value.list("routes, each with prefix, provider and upstream");
        if (items.isEmpty()) {
            throw value.error("no routes (expected: at least one route, each with prefix, provider and upstream)");
        }
        List<RouteConfig> routes = new ArrayList<>();
        Map<String, String> prefixes = new HashMap<>();
        for (ConfigValue item : items) {
            ConfigSection section = item.section(KEYS);
            ConfigValue prefixValue = section.required("prefix", "a path such as /openai");
            String prefix = prefix(prefixValue);
            String first = prefixes.putIfAbsent(prefix, prefixValue.path());
            if (first != null) {
                throw prefixValue.error(ConfigValue.quote(prefix) + " is already the prefix of " + first
                        + " (expected: each prefix once)");
            }
            ProviderKind provider = provider(section.required("provider", PROVIDERS));
            URI upstream = upstream(section.required("upstream", "an http or https URL such as https://api.openai.com"));
            // An unset variable here means "no key": header-mode clients then send their own credential.
            String apiKey = section.optional("api_key")
                    .map(v -> v.text("an API key", true).strip())
                    .filter(key -> !key.isEmpty())
                    .orElse(null);
            String profile = section.optional("pricing_profile").map(v -> profile(v, profiles)).orElse(null);
            boolean injectStreamUsage = section.optional("inject_stream_usage").map(ConfigValue::bool).orElse(true);
            routes.add(new RouteConfig(prefix, provider, upstream, apiKey, profile, injectStreamUsage));
        }
        return routes;
    }

    /** A path prefix; a trailing '/' is dropped, so {@code /openai/} and {@code /openai} are the same route. */
    private static String prefix(ConfigValue value) {
        String expected = "a path such as /openai: starting with '/', no empty segment, no query";
        String text = value.string(expected);
        String prefix = text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        if (!PREFIX.matcher(prefix).matches()) {
            throw value.error(ConfigValue.quote(text) + " (expected: " + expected + ")");
        }
        return prefix;
    }

    private static ProviderKind provider(ConfigValue value) {
        String text = value.string(PROVIDERS);
        try {
            return ProviderKind.fromConfigName(text);
        } catch (IllegalArgumentException e) {
            throw value.error(ConfigValue.quote(text) + " (expected: " + PROVIDERS + ")");
        }
    }

    /** An absolute http(s) URI; a trailing '/' is dropped so that request paths can be appended as they are. */
    private static URI upstream(ConfigValue value) {
        String expected = "an http or https URL such as https://api.openai.com, without query or credentials";
        String text = value.string(expected);
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw value.error(ConfigValue.quote(text) + " (expected: " + expected + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean web = scheme.equals("http") || scheme.equals("https");
        if (!web || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // Never echo a URL with credentials in it.
            String shown = uri.getRawUserInfo() != null ? "a URL with credentials" : ConfigValue.quote(text);
            throw value.error(shown + " (expected: " + expected + ")");
        }
        return uri;
    }

    private static @Nullable String profile(ConfigValue value, Set<String> profiles) {
        String text = value.text("a name under pricing.profiles").strip();
        if (text.isEmpty()) {
            return null;
        }
        if (!profiles.contains(text)) {
            String expected = profiles.isEmpty()
                    ? "a name under pricing.profiles, which defines none"
                    : "one of pricing.profiles: " + String.join(", ", profiles);
            throw value.error(ConfigValue.quote(text) + " is not defined (expected: " + expected + ")");
        }
        return text;
    }
}
