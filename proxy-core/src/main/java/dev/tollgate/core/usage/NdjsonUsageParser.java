package dev.tollgate.core.usage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a newline-delimited JSON stream (Ollama's), one line per {@link #onData} call, feeding each
 * line to one shared non-blocking parser. Lines that are not JSON objects are ignored.
 */
final class NdjsonUsageParser implements ResponseUsageParser {

    private final UsageDialect dialect;
    private final JsonWalker walker;

    NdjsonUsageParser(UsageDialect dialect) {
        this.dialect = dialect;
        this.walker = new JsonWalker(dialect.fields(), dialect);
    }

    @Override
    public boolean onData(ByteBuffer line) {
        int start = line.position();
        int end = line.limit();
        while (start < end && SseDataLines.isWhitespace(line.get(start))) {
            start++;
        }
        while (end > start && SseDataLines.isWhitespace(line.get(end - 1))) {
            end--;
        }
        if (end - start < 2 || line.get(start) != '{' || line.get(end - 1) != '}') {
            return true;
        }
        walker.beginRecord();
        try {
            walker.feed(line.duplicate().limit(end).position(start));
        } catch (IOException | RuntimeException e) {
            // Bad upstream bytes cost this line's usage, never the stream (see SseUsageParser).
            walker.reset();
            return true;
        }
        walker.endRecord();
        return true;
    }

    @Override
    public void onEnd() {
        walker.close();
    }

    @Override
    public ParsedUsage result() {
        return dialect.result();
    }
}
