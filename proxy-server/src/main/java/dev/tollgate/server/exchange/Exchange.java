package dev.tollgate.server.exchange;

import dev.tollgate.core.budget.Reservation;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.server.route.Route;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request's state from its first byte to its record. Lives in a client channel attribute and is
 * touched only by that channel's event loop (the upstream channel shares the loop), so its fields
 * need no {@code volatile}. Timestamps are {@link System#nanoTime()} values; 0 means "not yet".
 */
public final class Exchange {

    private static final AttributeKey<Exchange> KEY = AttributeKey.valueOf("tollgate.exchange");

    private final String id;
    private final Instant startedAt;
    private final long startNanos;
    private final Route route;
    private final Endpoint endpoint;
    private final boolean clientKeepAlive;
    private boolean credentialReplaced;
    private TenantId tenant = TenantId.UNKNOWN;
    private Map<String, String> tags = Map.of();
    private @Nullable RequestFacts facts;
    private @Nullable Reservation reservation;
    private boolean completed;

    private long requestEndNanos;
    private long forwardedNanos;
    private long firstByteNanos;
    private long upstreamEndNanos;

    public Exchange(String id, Instant startedAt, long startNanos, Route route, Endpoint endpoint,
            boolean clientKeepAlive) {
        this.id = id;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.route = route;
        this.endpoint = endpoint;
        this.clientKeepAlive = clientKeepAlive;
    }

    /** The exchange in flight on a client channel, or null. */
    public static @Nullable Exchange of(Channel channel) {
        return channel.attr(KEY).get();
    }

    public void attachTo(Channel channel) {
        channel.attr(KEY).set(this);
    }

    public static void detach(Channel channel, Exchange exchange) {
        channel.attr(KEY).compareAndSet(exchange, null);
    }

    public String id() {
        return id;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long startNanos() {
        return startNanos;
    }

    public Route route() {
        return route;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Whether the client's connection may serve another request after this one. */
    public boolean clientKeepAlive() {
        return clientKeepAlive;
    }

    /**
     * Whether a virtual key identified the tenant: the route's key then replaces the client's
     * credential, which never reaches the upstream.
     */
    public boolean credentialReplaced() {
        return credentialReplaced;
    }

    public void credentialReplaced(boolean replaced) {
        this.credentialReplaced = replaced;
    }

    public TenantId tenant() {
        return tenant;
    }

    public void tenant(TenantId tenant) {
        this.tenant = tenant;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public void tags(Map<String, String> tags) {
        this.tags = tags;
    }

    /** What the request body said, or null for requests without an inspected body. */
    public @Nullable RequestFacts facts() {
        return facts;
    }

    public void facts(RequestFacts facts) {
        this.facts = facts;
    }

    /** The budget hold taken when the request was admitted, settled at completion; null when none was taken. */
    public @Nullable Reservation reservation() {
        return reservation;
    }

    public void reservation(Reservation reservation) {
        this.reservation = reservation;
    }

    public boolean stream() {
        return facts != null && facts.stream();
    }

    public @Nullable String modelRequested() {
        return facts == null ? null : facts.model();
    }

    /** Marks the exchange complete; returns false if it already was (complete exactly once). */
    public boolean markCompleted() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }

    public boolean isCompleted() {
        return completed;
    }

    public void requestEnded(long nanos) {
        requestEndNanos = nanos;
    }

    public void forwarded(long nanos) {
        forwardedNanos = nanos;
    }

    /** Records the first response body byte; later calls keep the first. */
    public void firstByte(long nanos) {
        if (firstByteNanos == 0) {
            firstByteNanos = nanos;
        }
    }

    public void upstreamEnded(long nanos) {
        if (upstreamEndNanos == 0) {
            upstreamEndNanos = nanos;
        }
    }

    public long ttftNanos() {
        return firstByteNanos == 0 ? -1 : firstByteNanos - startNanos;
    }

    public long upstreamNanos() {
        return forwardedNanos == 0 || upstreamEndNanos == 0 ? -1 : upstreamEndNanos - forwardedNanos;
    }

    /**
     * Time inside the proxy: reading the request after its last byte arrived, until it was
     * forwarded, plus relaying after the upstream's last byte until {@code endNanos}.
     */
    public long overheadNanos(long endNanos) {
        if (requestEndNanos == 0) {
            return -1;
        }
        if (forwardedNanos == 0) {
            return endNanos - requestEndNanos; // refused or failed before reaching the upstream
        }
        long before = forwardedNanos - requestEndNanos;
        long after = upstreamEndNanos == 0 ? 0 : Math.max(0, endNanos - upstreamEndNanos);
        return before + after;
    }
}
