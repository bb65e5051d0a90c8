package dev.tollgate.server.sse;

import dev.tollgate.core.usage.ByteScan;
import dev.tollgate.server.buffer.HeapCopy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Splits a streamed body into records as chunks arrive: SSE events (ended by a blank line) or
 * NDJSON lines. Each whole record is handed to a {@link RecordSink} as a view valid during the call.
 * Each chunk is scanned in one {@link HeapCopy} (a byte loop over an array is several times faster
 * than over a direct buffer); what is forwarded is the chunk itself, sliced, and only the unfinished
 * record at a chunk's end is kept, in a small buffer this framer owns.
 *
 * <p>Two modes. In pass-through mode the caller forwards each chunk untouched and the framer only
 * observes. In filtering mode ({@link #filter}) the framer builds what to forward: whole records the
 * sink keeps, in order, so that a record the sink drops never reaches the client, not even in part.
 *
 * <p>Confined to one event loop. Call {@link #release()} when the response ends.
 */
public final class RecordFramer {

    /** Longest record examined; longer ones (a huge tool-call argument, say) are forwarded unread. */
    static final int MAX_RECORD_BYTES = 1 << 20;

    private static final HeapCopy CHUNKS = new HeapCopy();

    private final boolean blankLineSeparated;
    private final ByteBufAllocator alloc;
    private final RecordSink sink;

    /** Bytes of the unfinished record, copied from earlier chunks; null when none. */
    private @Nullable ByteBuf pending;
    /** Bytes of the current line seen so far (the line may have started in an earlier chunk). */
    private long lineLength;
    /** Whether the current line so far is exactly one {@code '\r'}: still blank. */
    private boolean lineIsLoneCr;
    /** Whether the current record has a non-blank line yet (SSE: leading blank lines are skipped). */
    private boolean recordHasContent;
    /** The current record outgrew {@link #MAX_RECORD_BYTES}: forward it unread. */
    private boolean oversized;
    /**
     * Filtering: kept records of the current chunk that follow each other, not yet added to the
     * output, {@code [runStart, runEnd)}; -1 when none. One slice per run rather than per record
     * (a fast upstream's chunk holds dozens of events; see bench/README.md).
     */
    private int runStart = -1;
    private int runEnd;

    private RecordFramer(boolean blankLineSeparated, ByteBufAllocator alloc, RecordSink sink) {
        this.blankLineSeparated = blankLineSeparated;
        this.alloc = alloc;
        this.sink = sink;
    }

    /** Framer for {@code text/event-stream}: records are events. */
    public static RecordFramer sse(ByteBufAllocator alloc, RecordSink sink) {
        return new RecordFramer(true, alloc, sink);
    }

    /** Framer for NDJSON: records are lines. */
    public static RecordFramer ndjson(ByteBufAllocator alloc, RecordSink sink) {
        return new RecordFramer(false, alloc, sink);
    }

    /** Pass-through mode: hands every whole record in {@code chunk} to the sink; the chunk is not touched. */
    public void observe(ByteBuf chunk) {
        scan(chunk, null);
    }

    /**
     * Filtering mode: returns what to forward for this chunk (whole kept records; possibly empty),
     * a buffer the caller now owns. The chunk itself is not released.
     */
    public ByteBuf filter(ByteBuf chunk) {
        CompositeByteBuf out = alloc.compositeBuffer(Integer.MAX_VALUE);
        try {
            scan(chunk, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * The body ended: a trailing record with no terminator is still a record. In filtering mode
     * returns what remains to forward (caller owns it), otherwise null.
     */
    public @Nullable ByteBuf finish(boolean filtering) {
        ByteBuf last = pending;
        pending = null;
        if (last == null || !last.isReadable()) {
            if (last != null) {
                last.release();
            }
            return filtering ? alloc.buffer(0) : null;
        }
        int contentStart = skipLineEnds(last, last.readerIndex(), last.writerIndex());
        boolean keep = oversized || !recordHasContent
                || sink.onRecord(last.nioBuffer(contentStart, last.writerIndex() - contentStart));
        if (filtering && keep) {
            return last;
        }
        last.release();
        return filtering ? alloc.buffer(0) : null;
    }

    /**
     * Whether the body so far stops inside a record: some of its bytes arrived, its end did not.
     * Asked before {@link #finish}; in pass-through mode those bytes have reached the client.
     */
    public boolean midRecord() {
        return oversized || (pending != null && pending.isReadable());
    }

    /** Frees the carry-over buffer; safe to call more than once. */
    public void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void scan(ByteBuf chunk, @Nullable CompositeByteBuf out) {
        // Positions below are indexes into the copy: chunk index = base + position.
        int base = chunk.readerIndex();
        ByteBuffer copy = CHUNKS.of(chunk);
        byte[] bytes = copy.array();
        int end = copy.limit();
        int recordStart = 0; // start of the current record inside this chunk
        int pos = 0;
        runStart = -1;
        while (pos < end) {
            int lf = ByteScan.indexOfLineFeed(bytes, pos, end);
            if (lf < 0) {
                trackLine(bytes, pos, end);
                break;
            }
            boolean blank = isBlankLine(bytes, pos, lf);
            lineLength = 0;
            lineIsLoneCr = false;
            int next = lf + 1;
            if (blankLineSeparated) {
                if (blank && recordHasContent) {
                    emit(chunk, base, copy, recordStart, lf, next, out);
                    recordStart = next;
                } else if (blank) {
                    // A blank line before any content: keep it with the next record's bytes.
                } else {
                    recordHasContent = true;
                }
            } else if (!blank) {
                recordHasContent = true;
                emit(chunk, base, copy, recordStart, lf, next, out);
                recordStart = next;
            }
            pos = next;
        }
        flushRun(chunk, base, out);
        carry(chunk, base + recordStart, base + end, out);
    }

    /**
     * A record ends at {@code contentEnd}; its bytes, terminator included, run to {@code recordEnd}
     * (positions in {@code copy}, the chunk's bytes from {@code base}).
     */
    private void emit(ByteBuf chunk, int base, ByteBuffer copy, int recordStart, int contentEnd, int recordEnd,
            @Nullable CompositeByteBuf out) {
        recordHasContent = false;
        if (pending != null) {
            flushRun(chunk, base, out);
            ByteBuf whole = pending;
            pending = null;
            if (oversized) {
                oversized = false;
                forward(whole, chunk, base + recordStart, base + recordEnd, out);
                return;
            }
            whole.writeBytes(chunk, base + recordStart, recordEnd - recordStart);
            int contentEndInWhole = whole.writerIndex() - (recordEnd - contentEnd);
            int contentStart = skipLineEnds(whole, whole.readerIndex(), contentEndInWhole);
            boolean keep = sink.onRecord(whole.nioBuffer(contentStart, contentEndInWhole - contentStart));
            if (out != null && keep) {
                out.addComponent(true, whole);
            } else {
                whole.release();
            }
            return;
        }
        int contentStart = skipLineEnds(copy.array(), recordStart, contentEnd);
        boolean keep = sink.onRecord(copy.limit(contentEnd).position(contentStart));
        if (out != null && keep) {
            if (runStart >= 0 && runEnd == recordStart) {
                runEnd = recordEnd; // follows the previous kept record: same slice
            } else {
                flushRun(chunk, base, out);
                runStart = recordStart;
                runEnd = recordEnd;
            }
        }
    }

    /** Adds the pending run of kept records to the output, before anything else is added. */
    private void flushRun(ByteBuf chunk, int base, @Nullable CompositeByteBuf out) {
        if (runStart >= 0) {
            if (out != null) {
                out.addComponent(true, chunk.retainedSlice(base + runStart, runEnd - runStart));
            }
            runStart = -1;
        }
    }

    /** Forwards an oversized record unread: what was held, then this chunk's part. */
    private static void forward(ByteBuf held, ByteBuf chunk, int from, int to, @Nullable CompositeByteBuf out) {
        if (out == null) {
            held.release();
            return;
        }
        out.addComponent(true, held);
        if (to > from) {
            out.addComponent(true, chunk.retainedSlice(from, to - from));
        }
    }

    /** Keeps the unfinished record at the chunk's end for the next chunk. */
    private void carry(ByteBuf chunk, int from, int end, @Nullable CompositeByteBuf out) {
        int length = end - from;
        if (length == 0) {
            return;
        }
        if (pending == null) {
            pending = alloc.buffer(Math.max(256, length));
        }
        if (oversized || pending.readableBytes() + length > MAX_RECORD_BYTES) {
            // Too big to examine: stop holding it, forward what we have and the rest as it comes.
            oversized = true;
            if (out != null) {
                out.addComponent(true, pending);
                out.addComponent(true, chunk.retainedSlice(from, length));
                pending = alloc.buffer(0);
            } else {
                pending.clear();
            }
            return;
        }
        pending.writeBytes(chunk, from, length);
    }

    /** Blank lines before a record's first line travel with it but are not part of its content. */
    private static int skipLineEnds(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to && (buf.getByte(i) == '\n' || buf.getByte(i) == '\r')) {
            i++;
        }
        return i;
    }

    private static int skipLineEnds(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && (bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        return i;
    }

    private void trackLine(byte[] bytes, int from, int to) {
        int length = to - from;
        if (length == 0) {
            return;
        }
        lineIsLoneCr = lineLength == 0 && length == 1 && bytes[from] == '\r';
        lineLength += length;
        if (!lineIsLoneCr) {
            recordHasContent = true;
        }
    }

    private boolean isBlankLine(byte[] bytes, int from, int lf) {
        long total = lineLength + (lf - from);
        if (total == 0) {
            return true;
        }
        if (total != 1) {
            return false;
        }
        return lf - from == 1 ? bytes[from] == '\r' : lineIsLoneCr;
    }

    /** Receives each whole record. */
    @FunctionalInterface
    public interface RecordSink {
        /**
         * @param record the record's bytes without its terminator; valid only during the call
         * @return whether the record should be forwarded (only consulted in filtering mode)
         */
        boolean onRecord(ByteBuffer record);
    }
}
