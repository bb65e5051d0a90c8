package dev.tollgate.server.pipeline;

/** Names of the handlers in Tollgate's pipelines, for look-ups and for readable pipeline dumps. */
public final class HandlerNames {

    public static final String TLS = "tls";
    public static final String HTTP_CODEC = "http-codec";
    public static final String CLIENT_TIMEOUT = "client-timeout";
    public static final String KEEP_ALIVE = "keep-alive";
    public static final String READ_TIMEOUT = "read-timeout";
    public static final String PIPELINING = "pipelining";
    public static final String EXCHANGE_START = "exchange-start";
    public static final String TENANT_AUTH = "tenant-auth";
    public static final String REQUEST_BODY = "request-body";
    public static final String BUDGET_GATE = "budget-gate";
    public static final String UPSTREAM_RELAY = "upstream-relay";
    public static final String UPSTREAM_IDLE = "upstream-idle";
    public static final String UPSTREAM = "upstream";

    private HandlerNames() {}
}
