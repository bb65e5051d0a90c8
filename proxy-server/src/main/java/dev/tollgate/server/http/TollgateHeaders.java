package dev.tollgate.server.http;

import io.netty.util.AsciiString;

/** Tollgate's own headers (CONTRACT §6). Names are fixed: clients and dashboards depend on them. */
public final class TollgateHeaders {

    public static final AsciiString TENANT = AsciiString.cached("X-Tollgate-Tenant");
    public static final AsciiString TAGS = AsciiString.cached("X-Tollgate-Tags");
    public static final AsciiString REQUEST_ID = AsciiString.cached("X-Tollgate-Request-Id");
    public static final AsciiString COST_USD = AsciiString.cached("X-Tollgate-Cost-USD");
    public static final AsciiString BUDGET_REMAINING_USD = AsciiString.cached("X-Tollgate-Budget-Remaining-USD");
    /** Prefix of every Tollgate header: none of them is forwarded upstream. */
    public static final String PREFIX = "x-tollgate-";

    private TollgateHeaders() {}
}
