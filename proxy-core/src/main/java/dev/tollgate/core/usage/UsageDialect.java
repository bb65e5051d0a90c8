package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * One provider's response shape: which fields a {@link JsonWalker} selects and how their values
 * become a {@link ParsedUsage}. The framing (a whole JSON body, SSE events, NDJSON lines) is the
 * job of the {@link ResponseUsageParser} that owns the dialect; each top-level object it feeds is
 * one chunk, announced by {@link #start} and {@link #end} of the tree's root id.
 *
 * <p>Not thread-safe; one instance per response.
 */
abstract class UsageDialect implements JsonVisitor {

    /** The id every dialect gives its tree's root node. */
    static final int ROOT = 1;

    final TextSample outputText = new TextSample();
    @Nullable String model;
    boolean finished;

    /** The paths this dialect reads. */
    abstract FieldTree fields();

    /** The usage reported so far, merged as CONTRACT §5 says, or null if none. */
    abstract @Nullable TokenUsage reported();

    /** The stream's terminal marker was seen, or a whole JSON body has closed. */
    void markFinished() {
        finished = true;
    }

    /**
     * Whether the chunk that just ended had usage and no choices: the usage-only chunk of an
     * OpenAI stream, which the proxy removes when it asked for it itself.
     */
    boolean lastChunkWasUsageOnly() {
        return false;
    }

    /**
     * A fast path for a chunk that needs no full parse, e.g. a chat chunk without usage once the
     * model is known. Returns false (having changed nothing) when the chunk must be parsed.
     *
     * @param start first byte of the chunk's JSON object, {@code end} one past its last
     */
    boolean skim(byte[] event, int start, int end) {
        return false;
    }

    @Override
    public void start(int id, JsonValue value) {}

    @Override
    public void end(int id) {}

    ParsedUsage result() {
        return new ParsedUsage(model, reported(), finished, outputText);
    }

    /** Whether any of these counts was reported (-1 means absent). */
    static boolean anyReported(long... counts) {
        for (long count : counts) {
            if (count >= 0) {
                return true;
            }
        }
        return false;
    }

    /** A reported count, 0 when absent. */
    static long orZero(long count) {
        return Math.max(0, count);
    }

    /** A count merged by "last value seen wins": a null or non-number does not erase an earlier count. */
    static long latest(long previous, JsonValue value) {
        long count = Json.count(value);
        return count >= 0 ? count : previous;
    }
}
