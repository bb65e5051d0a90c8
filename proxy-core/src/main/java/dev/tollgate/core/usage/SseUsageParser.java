package dev.tollgate.core.usage;

import java.nio.ByteBuffer;

/**
 * Reads a server-sent event stream, one whole event per {@link #onData} call, feeding each event's
 * JSON payload to one shared scanner (no parser or tree per event). {@code data: [DONE]}
 * ends an OpenAI stream; events without data ({@code ping} comments, {@code id:} lines) and
 * payloads that are not JSON objects are forwarded and otherwise ignored.
 */
final class SseUsageParser implements ResponseUsageParser {

    private static final byte[] LINE_FEED = {'\n'};

    private final UsageDialect dialect;
    private final JsonWalker walker;
    private final boolean dropUsageOnlyChunk;
    private final SseDataLines lines = new SseDataLines();
    private final ArrayRange input = new ArrayRange();

    SseUsageParser(UsageDialect dialect, boolean dropUsageOnlyChunk) {
        this.dialect = dialect;
        this.walker = new JsonWalker(dialect.fields(), dialect);
        this.dropUsageOnlyChunk = dropUsageOnlyChunk;
    }

    @Override
    public boolean onData(ByteBuffer event) {
        ArrayRange range = input.load(event);
        try {
            return onEvent(range.bytes(), range.from(), range.to());
        } finally {
            range.clear();
        }
    }

    private boolean onEvent(byte[] event, int from, int to) {
        lines.scan(event, from, to);
        if (lines.count() == 0) {
            return true;
        }
        if (lines.isDone(event)) {
            dialect.markFinished();
            return true;
        }
        if (!lines.looksLikeObject(event)) {
            return true;
        }
        if (lines.count() == 1 && dialect.skim(event, lines.start(0), lines.end(0))) {
            return true;
        }
        walker.beginRecord();
        try {
            for (int i = 0; i < lines.count(); i++) {
                if (i > 0) {
                    walker.feed(LINE_FEED, 0, 1);
                }
                walker.feed(event, lines.start(i), lines.end(i));
            }
        } catch (MalformedJsonException | RuntimeException e) {
            // Bad upstream bytes cost this event's usage, never the stream: an exception must not
            // reach the event loop. The next event starts with a fresh parser.
            walker.reset();
            return true;
        }
        boolean oneObject = walker.endRecord();
        return !(dropUsageOnlyChunk && oneObject && dialect.lastChunkWasUsageOnly());
    }

    @Override
    public void onEnd() {}

    @Override
    public ParsedUsage result() {
        return dialect.result();
    }
}
