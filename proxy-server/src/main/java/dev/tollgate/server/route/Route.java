package dev.tollgate.server.route;

import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.server.config.RouteConfig;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One configured route, resolved for use: where its upstream is and how to talk to it.
 *
 * @param prefix         the path prefix clients use, e.g. {@code /openai}
 * @param host           the upstream host, for connecting and for the rewritten {@code Host}
 * @param hostHeader     the {@code Host} value sent upstream ({@code host[:port]})
 * @param basePath       the upstream URI's own path ({@code ""} for none), prepended to forwarded paths
 * @param apiKey         the credential injected upstream, or null
 */
public record Route(
        String prefix,
        ProviderKind provider,
        String host,
        int port,
        boolean tls,
        String hostHeader,
        String basePath,
        @Nullable String apiKey,
        @Nullable String pricingProfile,
        boolean injectStreamUsage) {

    /** Resolves a validated route config. */
    public static Route of(RouteConfig config) {
        URI upstream = config.upstream();
        boolean tls = "https".equals(upstream.getScheme().toLowerCase(Locale.ROOT));
        int defaultPort = tls ? 443 : 80;
        int port = upstream.getPort() < 0 ? defaultPort : upstream.getPort();
        String host = upstream.getHost();
        String hostHeader = port == defaultPort ? host : host + ":" + port;
        String path = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        String basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return new Route(config.prefix(), config.provider(), host, port, tls, hostHeader, basePath,
                config.apiKey(), config.pricingProfile(), config.injectStreamUsage());
    }

    /** The upstream request target for a client target that starts with this route's prefix. */
    public String upstreamTarget(String clientTarget) {
        return basePath + pathAfterPrefix(clientTarget);
    }

    /**
     * What follows the prefix in a client target that starts with it: {@code ""}, or text starting
     * with {@code /} or {@code ?}. The root route's prefix {@code /} is also the path's own first
     * slash, so it is kept.
     */
    public String pathAfterPrefix(String clientTarget) {
        return isRoot() ? clientTarget : clientTarget.substring(prefix.length());
    }

    /** Whether this is the catch-all route {@code /}. */
    public boolean isRoot() {
        return prefix.equals("/");
    }

    /** The {@code route} metric label. */
    public String label() {
        return prefix;
    }
}
