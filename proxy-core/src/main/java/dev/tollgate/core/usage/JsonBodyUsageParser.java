package dev.tollgate.core.usage;

import java.nio.ByteBuffer;

/**
 * Reads one JSON body fed in arbitrary chunks with an incremental scanner: nothing is buffered, and
 * the values the dialect does not select (megabytes of embedding floats, say) are only scanned.
 * The body counts as finished once its top-level value has closed. After the first syntax error the
 * rest of the body is ignored and whatever was found before it is kept.
 */
final class JsonBodyUsageParser implements ResponseUsageParser {

    private final UsageDialect dialect;
    private final JsonWalker walker;
    private boolean failed;
    private boolean ended;

    JsonBodyUsageParser(UsageDialect dialect) {
        this.dialect = dialect;
        this.walker = new JsonWalker(dialect.fields(), dialect);
    }

    @Override
    public boolean onData(ByteBuffer chunk) {
        if (!failed && !ended) {
            try {
                walker.feed(chunk);
            } catch (MalformedJsonException | RuntimeException e) {
                // Bad upstream bytes end the reading, never the response (see SseUsageParser).
                fail();
            }
        }
        return true;
    }

    @Override
    public void onEnd() {
        if (ended) {
            return;
        }
        ended = true;
        if (!failed) {
            try {
                walker.endOfInput();
            } catch (MalformedJsonException | RuntimeException e) {
                // A truncated body: keep what was read (see SseUsageParser).
                fail();
            }
        }
    }

    @Override
    public ParsedUsage result() {
        if (walker.rootsClosed() > 0) {
            dialect.markFinished();
        }
        return dialect.result();
    }

    private void fail() {
        failed = true;
        walker.reset();
    }
}
