package dev.tollgate.core.ledger;

import dev.tollgate.core.exchange.ExchangeRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One ledger line: the CONTRACT §8 fields of one finished request, in §8 order, as every sink stores
 * them. It holds no prompt or completion text and no key, because {@link ExchangeRecord} holds none.
 *
 * <p>Enumerated fields are kept as their ledger labels ({@code "ok"}, {@code "catalog_undated"}) so
 * that records written by a newer version still read back. Timestamps have millisecond precision.
 * Durations are whole milliseconds, rounded half up; {@value #ABSENT} means "not measured".
 *
 * <pre>{@code
 * LedgerRecord line = LedgerRecord.of(exchange);   // what LedgerWriter.onExchange does
 * }</pre>
 *
 * @param requestId         the id sent back as {@code X-Tollgate-Request-Id}
 * @param tsStart           when the request's first byte arrived (ms precision, UTC)
 * @param tsEnd             when the response's last byte left (ms precision, UTC)
 * @param tenant            the paying tenant, {@code unknown} when none was resolved
 * @param tags              every attribution tag the client sent, sorted by key
 * @param route             the route prefix, e.g. {@code /openai}
 * @param provider          the provider's config name, e.g. {@code openai-compatible}
 * @param endpoint          the endpoint label, e.g. {@code chat/completions}
 * @param modelRequested    the model the request named, or null
 * @param modelBilled       the model the response named (else the requested one), or null
 * @param stream            whether the response was streamed
 * @param statusCode        the status code the client received
 * @param outcome           {@code ok | upstream_error | rejected | client_aborted | timeout}
 * @param inputTokens       uncached input tokens
 * @param cachedInputTokens input tokens read from a prompt cache
 * @param cacheWriteTokens  input tokens written to a prompt cache, every lifetime
 * @param outputTokens      output tokens, reasoning included
 * @param estimated         whether the tokens were counted locally rather than reported
 * @param costNanoUsd       the request's cost in nano-USD (1e-9 USD)
 * @param priceSource       how the price was found, e.g. {@code catalog}; {@code none} when unpriced
 * @param ttftMs            time to the first response byte in ms, or {@value #ABSENT}
 * @param durationMs        time from the request's first byte to the response's last, in ms
 * @param upstreamMs        time spent waiting for the upstream in ms, or {@value #ABSENT}
 */
public record LedgerRecord(
        String requestId,
        Instant tsStart,
        Instant tsEnd,
        String tenant,
        Map<String, String> tags,
        String route,
        String provider,
        String endpoint,
        @Nullable String modelRequested,
        @Nullable String modelBilled,
        boolean stream,
        int statusCode,
        String outcome,
        long inputTokens,
        long cachedInputTokens,
        long cacheWriteTokens,
        long outputTokens,
        boolean estimated,
        long costNanoUsd,
        String priceSource,
        long ttftMs,
        long durationMs,
        long upstreamMs) {

    /** The value of {@link #ttftMs} and {@link #upstreamMs} when nothing was measured. */
    public static final long ABSENT = -1;

    private static final long NANOS_PER_MILLI = 1_000_000;

    public LedgerRecord {
        if (requestId.isEmpty()) {
            throw new IllegalArgumentException("requestId: '' (expected: non-empty)");
        }
        tsStart = tsStart.truncatedTo(ChronoUnit.MILLIS);
        tsEnd = tsEnd.truncatedTo(ChronoUnit.MILLIS);
        // Most requests carry no tags: share the empty map rather than wrap a new TreeMap for each.
        tags = tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** The ledger line of one finished request. */
    public static LedgerRecord of(ExchangeRecord r) {
        return new LedgerRecord(
                r.requestId(),
                r.startedAt(),
                r.endedAt(),
                r.tenant().value(),
                r.tags(),
                r.route(),
                r.provider().configName(),
                r.endpoint().label(),
                r.modelRequested(),
                r.modelBilled(),
                r.stream(),
                r.statusCode(),
                r.outcome().label(),
                r.usage().input(),
                r.usage().cachedInput(),
                r.usage().cacheWrite(),
                r.usage().output(),
                r.estimated(),
                r.costNanoUsd(),
                r.priceSource().label(),
                millis(r.ttftNanos()),
                millis(r.durationNanos()),
                millis(r.upstreamNanos()));
    }

    /** The model a report groups by: the billed one, else the requested one, else null. */
    public @Nullable String model() {
        return modelBilled != null ? modelBilled : modelRequested;
    }

    /** Nanoseconds as whole milliseconds rounded half up; a negative value means "not measured". */
    static long millis(long nanos) {
        return nanos < 0 ? ABSENT : (nanos + NANOS_PER_MILLI / 2) / NANOS_PER_MILLI;
    }

    @Override
    public String toString() {
        // Short on purpose: records end up in log lines about failed writes.
        return "LedgerRecord[" + requestId + " " + tsStart + " " + tenant + " " + Objects.toString(model(), "-")
                + " " + outcome + " " + costNanoUsd + "nUSD]";
    }
}
