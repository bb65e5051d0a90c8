package dev.tollgate.server.config;

import dev.tollgate.core.provider.ProviderKind;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code routes}: requests whose path starts with {@code prefix} go to {@code upstream}.
 *
 * @param prefix path prefix on the proxy listener: starts with {@code /}, no trailing {@code /} (except the root
 *     route {@code /}); it is removed before the request is forwarded
 * @param provider wire dialect of the upstream
 * @param upstream absolute {@code http} or {@code https} URI, possibly with a base path, never with a trailing
 *     {@code /}, a query or a fragment
 * @param apiKey credential injected upstream; {@code null} when unset or empty
 * @param pricingProfile name of a {@link PricingConfig#profiles()} entry that prices every model of this route
 * @param injectStreamUsage whether OpenAI-style streams get {@code stream_options.include_usage} added
 *     (config key {@code inject_stream_usage}, default true)
 */
public record RouteConfig(
        String prefix,
        ProviderKind provider,
        URI upstream,
        @Nullable String apiKey,
        @Nullable String pricingProfile,
        boolean injectStreamUsage) {

    public RouteConfig {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(upstream, "upstream");
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix: '" + prefix + "' (expected: starts with '/')");
        }
        if (apiKey != null && apiKey.isEmpty()) {
            apiKey = null;
        }
    }

    /** Whether a credential is configured for the upstream. */
    public boolean hasApiKey() {
        return apiKey != null;
    }

    /** Masks the key, so that logging a route can never leak it. */
    @Override
    public String toString() {
        return "RouteConfig[prefix=" + prefix + ", provider=" + provider.configName() + ", upstream=" + upstream
                + ", apiKey=" + (apiKey == null ? "none" : "***") + ", pricingProfile=" + pricingProfile
                + ", injectStreamUsage=" + injectStreamUsage + "]";
    }
}
