package dev.tollgate.core.exchange;

import dev.tollgate.core.pricing.PriceSource;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.TokenUsage;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about one finished request (CONTRACT §8): the event that metrics, the ledger and
 * budgets subscribe to through {@link ExchangeListener}. It never holds prompt or completion text,
 * nor a key.
 *
 * @param requestId      the id sent back as {@code X-Tollgate-Request-Id}
 * @param tenant         the paying tenant, {@link TenantId#UNKNOWN} when none was resolved
 * @param tags           every attribution tag the client sent, configured or not
 * @param route          the route prefix, e.g. {@code /openai}
 * @param modelRequested the model the request body named, or null
 * @param modelBilled    the model the response named, falling back to the requested one, or null
 * @param usage          disjoint token counts (zero when none were reported or estimated)
 * @param estimated      whether {@code usage} was counted locally rather than reported
 * @param costNanoUsd    the request's cost in nano-USD (1e-9), rounded once, half up
 * @param ttftNanos      time from the request's start to the first response body byte, or -1
 * @param durationNanos  time from the request's first byte to the response's last
 * @param upstreamNanos  time from forwarding the request to the upstream's last byte, or -1
 * @param overheadNanos  time spent inside the proxy, upstream wait excluded, or -1
 */
public record ExchangeRecord(
        String requestId,
        Instant startedAt,
        Instant endedAt,
        TenantId tenant,
        Map<String, String> tags,
        String route,
        ProviderKind provider,
        Endpoint endpoint,
        @Nullable String modelRequested,
        @Nullable String modelBilled,
        boolean stream,
        int statusCode,
        Outcome outcome,
        TokenUsage usage,
        boolean estimated,
        long costNanoUsd,
        PriceSource priceSource,
        long ttftNanos,
        long durationNanos,
        long upstreamNanos,
        long overheadNanos) {

    public ExchangeRecord {
        tags = Map.copyOf(tags);
    }

    /** Whether a price was found for the billed model. */
    public boolean priced() {
        return priceSource != PriceSource.NONE;
    }
}
