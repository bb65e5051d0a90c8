package dev.tollgate.core.usage;

import java.nio.ByteBuffer;

/**
 * Reads a newline-delimited JSON stream (Ollama's), one line per {@link #onData} call, feeding each
 * line to one shared scanner. Lines that are not JSON objects are ignored.
 */
final class NdjsonUsageParser implements ResponseUsageParser {

    private final UsageDialect dialect;
    private final JsonWalker walker;
    private final ArrayRange input = new ArrayRange();

    NdjsonUsageParser(UsageDialect dialect) {
        this.dialect = dialect;
        this.walker = new JsonWalker(dialect.fields(), dialect);
    }

    @Override
    public boolean onData(ByteBuffer line) {
        ArrayRange range = input.load(line);
        try {
            onLine(range.bytes(), range.from(), range.to());
        } finally {
            range.clear();
        }
        return true;
    }

    private void onLine(byte[] line, int from, int to) {
        int start = from;
        int end = to;
        while (start < end && SseDataLines.isWhitespace(line[start])) {
            start++;
        }
        while (end > start && SseDataLines.isWhitespace(line[end - 1])) {
            end--;
        }
        if (end - start < 2 || line[start] != '{' || line[end - 1] != '}') {
            return;
        }
        walker.beginRecord();
        try {
            walker.feed(line, start, end);
        } catch (MalformedJsonException | RuntimeException e) {
            // Bad upstream bytes cost this line's usage, never the stream (see SseUsageParser).
            walker.reset();
            return;
        }
        walker.endRecord();
    }

    @Override
    public void onEnd() {}

    @Override
    public ParsedUsage result() {
        return dialect.result();
    }
}
