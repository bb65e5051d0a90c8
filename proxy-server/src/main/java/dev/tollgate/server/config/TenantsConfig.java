package dev.tollgate.server.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code tenants} section: how a request's tenant is found, and the known tenants.
 *
 * @param identifyBy modes tried in order; never empty, no repeats
 * @param header header carrying the tenant id in {@link IdentifyBy#HEADER} mode
 * @param unknown what happens to requests with no resolved tenant
 * @param attributionTags {@code X-Tollgate-Tags} keys that become metric labels; valid Prometheus label names
 *     that do not clash with Tollgate's own labels
 * @param list the configured tenants, ids and key hashes unique
 */
public record TenantsConfig(
        List<IdentifyBy> identifyBy,
        String header,
        UnknownTenantPolicy unknown,
        List<String> attributionTags,
        List<TenantConfig> list) {

    /** Default header of {@link IdentifyBy#HEADER} mode. */
    public static final String DEFAULT_HEADER = "X-Tollgate-Tenant";

    public TenantsConfig {
        identifyBy = List.copyOf(identifyBy);
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(unknown, "unknown");
        attributionTags = List.copyOf(attributionTags);
        list = List.copyOf(list);
        if (identifyBy.isEmpty()) {
            throw new IllegalArgumentException("identifyBy: [] (expected: at least one mode)");
        }
    }

    /** CONTRACT.md §4's defaults: virtual key then header, unknown tenants rejected, no tenants, no tags. */
    public static TenantsConfig defaults() {
        return new TenantsConfig(List.of(IdentifyBy.VIRTUAL_KEY, IdentifyBy.HEADER), DEFAULT_HEADER,
                UnknownTenantPolicy.REJECT, List.of(), List.of());
    }

    /** The tenant with this id, if configured. */
    public Optional<TenantConfig> tenant(String id) {
        return list.stream().filter(t -> t.id().value().equals(id)).findFirst();
    }
}
