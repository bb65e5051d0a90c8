package dev.tollgate.server.config;

/** A way of finding a request's tenant ({@code tenants.identify_by}); modes are tried in configured order. */
public enum IdentifyBy {
    /** A {@code tg-} key in {@code Authorization: Bearer} or {@code x-api-key}, matched by its hash. */
    VIRTUAL_KEY,
    /** The tenant id in the configured header ({@code X-Tollgate-Tenant} by default). */
    HEADER
}
