package dev.tollgate.server.handler;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.usage.ParsedUsage;
import dev.tollgate.core.usage.ResponseFormat;
import dev.tollgate.core.usage.ResponseUsageParser;
import dev.tollgate.core.usage.UsageParsers;
import dev.tollgate.server.buffer.HeapCopy;
import dev.tollgate.server.sse.RecordFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Reads usage from a response body as it passes. JSON chunks go straight to the parser; SSE and
 * NDJSON bodies are framed into records first. In filtering mode (the proxy added
 * {@code include_usage} itself) the tap also decides what to forward, so that the usage-only chunk
 * never reaches the client.
 */
final class ResponseBodyTap {

    private static final HeapCopy JSON_CHUNKS = new HeapCopy();

    private final ResponseUsageParser parser;
    private final @Nullable RecordFramer framer;
    private final boolean filtering;
    private boolean ended;

    private ResponseBodyTap(ResponseUsageParser parser, @Nullable RecordFramer framer, boolean filtering) {
        this.parser = parser;
        this.framer = framer;
        this.filtering = filtering;
    }

    static ResponseBodyTap create(ProviderKind provider, Endpoint endpoint, ResponseFormat format, boolean filtering,
            ByteBufAllocator alloc) {
        boolean filter = filtering && format == ResponseFormat.SSE;
        ResponseUsageParser parser = UsageParsers.forResponse(provider, endpoint, format, filter);
        RecordFramer framer = switch (format) {
            case SSE -> RecordFramer.sse(alloc, parser::onData);
            case NDJSON -> RecordFramer.ndjson(alloc, parser::onData);
            case JSON -> null;
        };
        return new ResponseBodyTap(parser, framer, filter);
    }

    /**
     * Reads one body chunk and returns what to forward in its place: the chunk itself (retained) or,
     * when filtering, a new buffer of whole kept records. The caller still owns {@code chunk}.
     */
    ByteBuf onContent(ByteBuf chunk) {
        if (framer == null) {
            if (chunk.isReadable()) {
                parser.onData(JSON_CHUNKS.of(chunk));
            }
            return chunk.retain();
        }
        if (filtering) {
            return framer.filter(chunk);
        }
        framer.observe(chunk);
        return chunk.retain();
    }

    /**
     * Whether part of an unfinished record was forwarded: the client's stream now stops mid-record.
     * Only pass-through mode forwards partial records; ask before {@link #onEnd()}.
     */
    boolean forwardedPartialRecord() {
        return framer != null && !filtering && !ended && framer.midRecord();
    }

    /** The body ended (whole or cut short). Returns trailing bytes to forward, or null. */
    @Nullable ByteBuf onEnd() {
        if (ended) {
            return null;
        }
        ended = true;
        ByteBuf tail = framer == null ? null : framer.finish(filtering);
        parser.onEnd();
        return tail;
    }

    ParsedUsage result() {
        return parser.result();
    }

    void release() {
        if (framer != null) {
            framer.release();
        }
    }
}
