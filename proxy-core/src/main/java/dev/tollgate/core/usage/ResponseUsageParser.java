package dev.tollgate.core.usage;

import java.nio.ByteBuffer;

/**
 * Finds the usage of one response as its bytes pass through the proxy. One instance per response,
 * used by one thread; never throws on malformed input (a response it cannot read simply reports no
 * usage). Implementations never retain the buffers they are given.
 *
 * <pre>{@code
 * ResponseUsageParser parser = UsageParsers.forResponse(provider, endpoint, format, dropUsageOnlyChunk);
 * for (ByteBuffer record : records) {
 *     boolean forward = parser.onData(record);   // false only for the injected usage-only chunk
 * }
 * parser.onEnd();
 * ParsedUsage usage = parser.result();
 * }</pre>
 */
public interface ResponseUsageParser {

    /**
     * Reads the buffer's remaining bytes: any chunk of a {@link ResponseFormat#JSON} body, or one whole
     * record (an SSE event or an NDJSON line) of the other formats. The buffer's position is not
     * changed.
     *
     * @return whether the proxy should forward this record to the client: false only for the
     *     usage-only chunk that the proxy asked for itself ({@code dropUsageOnlyChunk})
     */
    boolean onData(ByteBuffer bytes);

    /** The body has ended (whole or cut short); a trailing partial record has already been fed. */
    void onEnd();

    /** What was found so far; final after {@link #onEnd()}. */
    ParsedUsage result();
}
