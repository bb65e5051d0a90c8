package dev.tollgate.server.tenant;

import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.server.config.IdentifyBy;
import dev.tollgate.server.config.TenantConfig;
import dev.tollgate.server.config.TenantsConfig;
import dev.tollgate.server.config.UnknownTenantPolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Decides who pays for a request, trying the configured modes in order (CONTRACT §4, §6). A
 * virtual key, once presented, decides alone: a tenant header cannot override it, and an unknown
 * {@code tg-} key is refused rather than forwarded. Immutable and thread-safe.
 */
public final class TenantResolver {

    static final String X_API_KEY = "x-api-key";

    private final List<IdentifyBy> modes;
    private final String header;
    private final UnknownTenantPolicy unknown;
    private final Map<String, TenantId> tenantByKeyHash;
    private final Map<String, TenantId> tenantById;

    public TenantResolver(TenantsConfig config) {
        this.modes = List.copyOf(config.identifyBy());
        this.header = config.header();
        this.unknown = config.unknown();
        Map<String, TenantId> byHash = new HashMap<>();
        for (TenantConfig tenant : config.list()) {
            for (String hash : tenant.keyHashes()) {
                byHash.put(hash, tenant.id());
            }
        }
        this.tenantByKeyHash = Map.copyOf(byHash);
        this.tenantById = config.list().stream()
                .collect(Collectors.toUnmodifiableMap(t -> t.id().value(), TenantConfig::id));
    }

    /** Every configured tenant id: the bounded set of {@code tenant} label values. */
    public Set<TenantId> configuredTenants() {
        return Set.copyOf(tenantById.values());
    }

    public Resolution resolve(HttpHeaders headers) {
        for (IdentifyBy mode : modes) {
            switch (mode) {
                case VIRTUAL_KEY -> {
                    String key = virtualKey(headers);
                    if (key != null) {
                        TenantId tenant = tenantByKeyHash.get(KeyHash.of(key));
                        return tenant != null
                                ? Resolution.byKey(tenant)
                                : Resolution.refused("Unknown virtual key. Ask your platform team for a Tollgate key.");
                    }
                }
                case HEADER -> {
                    String id = headers.get(header);
                    if (id != null) {
                        TenantId tenant = tenantById.get(id.trim());
                        if (tenant != null) {
                            return Resolution.byHeader(tenant);
                        }
                        return unknownTenant("Unknown tenant in " + header + ".");
                    }
                }
            }
        }
        return unknownTenant("Missing tenant: send a Tollgate virtual key (Authorization: Bearer tg-...) or the "
                + header + " header.");
    }

    private Resolution unknownTenant(String message) {
        return unknown == UnknownTenantPolicy.ATTRIBUTE ? Resolution.byHeader(TenantId.UNATTRIBUTED) : Resolution.refused(message);
    }

    /** The virtual key the client presented, in either header style, or null. */
    static @Nullable String virtualKey(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            if (token.startsWith(KeyHash.KEY_PREFIX)) {
                return token;
            }
        }
        String apiKey = headers.get(X_API_KEY);
        if (apiKey != null && apiKey.trim().startsWith(KeyHash.KEY_PREFIX)) {
            return apiKey.trim();
        }
        return null;
    }

    /**
     * The outcome of resolving a tenant.
     *
     * @param tenant       the tenant, or null when refused
     * @param byVirtualKey whether a virtual key identified it: then the client's credential is
     *                     replaced by the route's key and never forwarded
     * @param refusal      why the request is refused (safe to send to the client), or null
     */
    public record Resolution(@Nullable TenantId tenant, boolean byVirtualKey, @Nullable String refusal) {

        static Resolution byKey(TenantId tenant) {
            return new Resolution(tenant, true, null);
        }

        static Resolution byHeader(TenantId tenant) {
            return new Resolution(tenant, false, null);
        }

        static Resolution refused(String message) {
            return new Resolution(null, false, message);
        }
    }
}
