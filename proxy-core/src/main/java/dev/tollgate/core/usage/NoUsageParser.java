package dev.tollgate.core.usage;

import java.nio.ByteBuffer;

/** For endpoints that carry no usage ({@code Endpoint.OTHER}): forwards everything, reports nothing. */
final class NoUsageParser implements ResponseUsageParser {

    private final TextSample noText = new TextSample(0);
    private boolean ended;

    @Override
    public boolean onData(ByteBuffer bytes) {
        return true;
    }

    @Override
    public void onEnd() {
        ended = true;
    }

    @Override
    public ParsedUsage result() {
        return new ParsedUsage(null, null, ended, noText);
    }
}
