package dev.tollgate.bench;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.usage.ParsedUsage;
import dev.tollgate.core.usage.ResponseFormat;
import dev.tollgate.core.usage.ResponseUsageParser;
import dev.tollgate.core.usage.UsageParsers;
import dev.tollgate.server.sse.RecordFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What the server's response tap (handler.ResponseBodyTap, package-private) does with a streamed
 * body: frame SSE records with {@link RecordFramer} and feed them to the usage parser. In filtering
 * mode (the proxy injected {@code include_usage}) it builds the buffer to forward, as the server
 * does, and releases it here instead of writing it.
 */
final class ResponseTaps {

    private ResponseTaps() {}

    static ParsedUsage sse(ProviderKind provider, Endpoint endpoint, boolean filtering, ByteBuf[] chunks,
            ByteBufAllocator alloc) {
        ResponseUsageParser parser = UsageParsers.forResponse(provider, endpoint, ResponseFormat.SSE, filtering);
        RecordFramer framer = RecordFramer.sse(alloc, parser::onData);
        try {
            for (ByteBuf chunk : chunks) {
                if (filtering) {
                    framer.filter(chunk).release();
                } else {
                    framer.observe(chunk);
                }
            }
            ByteBuf tail = framer.finish(filtering);
            if (tail != null) {
                tail.release();
            }
        } finally {
            framer.release();
        }
        parser.onEnd();
        return parser.result();
    }

    static ParsedUsage check(ParsedUsage usage, String what) {
        if (usage.reported() == null || !usage.finished()) {
            throw new IllegalStateException(what + ": no final usage found: " + usage);
        }
        return usage;
    }
}
