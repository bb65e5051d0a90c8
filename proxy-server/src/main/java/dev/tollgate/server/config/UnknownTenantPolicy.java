package dev.tollgate.server.config;

/** What happens to a request whose tenant cannot be resolved ({@code tenants.unknown}). */
public enum UnknownTenantPolicy {
    /** Refused with 401 in the provider's error shape. */
    REJECT,
    /** Forwarded and attributed to {@link dev.tollgate.core.tenant.TenantId#UNATTRIBUTED}. */
    ATTRIBUTE
}
