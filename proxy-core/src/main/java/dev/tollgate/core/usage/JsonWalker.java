package dev.tollgate.core.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Drives one non-blocking Jackson parser over bytes that arrive in pieces, and reports the values
 * a {@link FieldTree} selects to a {@link JsonVisitor}. Nothing is buffered beyond the token being
 * decoded, and skipped values are only tokenised, never materialised.
 *
 * <p>A walker accepts a sequence of top-level values: one JSON body, or one value per SSE event or
 * NDJSON line fed one after another into the same parser ({@link #beginRecord()} /
 * {@link #endRecord()}), which saves a parser per event. After a failure the caller calls
 * {@link #reset()} and may go on with the next record.
 *
 * <p>Not thread-safe; one walker per request or response. It never keeps a reference to a buffer
 * after {@link #feed} returns.
 */
final class JsonWalker {

    private static final byte[] EMPTY = new byte[0];

    private final FieldTree root;
    private final JsonVisitor visitor;
    private final ArrayRange input = new ArrayRange();
    private @Nullable JsonParser parser;
    private FieldTree[] open = new FieldTree[8];
    private boolean[] openIsArray = new boolean[8];
    private int depth;
    private int skippedDepth;
    private @Nullable FieldTree next;
    private long bytesBefore;
    private int rootsClosed;
    private int rootsAtRecordStart;
    private boolean closedAtEnd;

    JsonWalker(FieldTree root, JsonVisitor visitor) {
        this.root = root;
        this.visitor = visitor;
    }

    /**
     * Parses the buffer's remaining bytes (its position is not changed) and reports what the tree
     * selects.
     *
     * @throws IOException the bytes are not JSON; call {@link #reset()} before feeding more
     */
    void feed(ByteBuffer bytes) throws IOException {
        ArrayRange range = input.load(bytes);
        try {
            feed(range.bytes(), range.from(), range.to());
        } finally {
            range.clear();
        }
    }

    /**
     * Parses {@code bytes[from, to)} and reports what the tree selects. The array is not kept: the
     * parser consumes every byte before this returns.
     *
     * @throws IOException the bytes are not JSON; call {@link #reset()} before feeding more
     */
    void feed(byte[] bytes, int from, int to) throws IOException {
        JsonParser p = parser();
        ByteArrayFeeder feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
        if (to > from) {
            closedAtEnd = false;
        }
        feeder.feedInput(bytes, from, to);
        drain(p, feeder);
        // The parser keeps its last input array: hand it an empty one so that the caller's (a
        // per-thread scratch array, or a pooled buffer's) is not retained.
        feeder.feedInput(EMPTY, 0, 0);
    }

    /**
     * Declares the end of the input and reports the last tokens.
     *
     * @throws IOException the input ended inside a value
     */
    void endOfInput() throws IOException {
        JsonParser p = parser();
        ByteArrayFeeder feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
        feeder.endOfInput();
        drain(p, feeder);
    }

    /** Marks the start of a record that should hold exactly one top-level value. */
    void beginRecord() {
        rootsAtRecordStart = rootsClosed;
    }

    /**
     * Whether the record fed since {@link #beginRecord()} held exactly one top-level object or
     * array that ended with the record's last byte. If it did not, the parser's state is unknown
     * (a value cut short, trailing bytes), so it is reset and the next record starts clean.
     */
    boolean endRecord() {
        boolean clean = parser != null && depth == 0 && skippedDepth == 0 && closedAtEnd
                && rootsClosed == rootsAtRecordStart + 1;
        if (!clean) {
            reset();
        }
        return clean;
    }

    /** Discards the parser and all position state; the next byte fed starts a new document. */
    void reset() {
        close();
        depth = 0;
        skippedDepth = 0;
        next = null;
        closedAtEnd = false;
    }

    /** Releases the parser's pooled buffers. */
    void close() {
        JsonParser p = parser;
        if (p != null) {
            parser = null;
            bytesBefore += p.currentLocation().getByteOffset();
            try {
                p.close();
            } catch (IOException e) {
                // A non-blocking parser has no underlying stream whose close could fail.
            }
        }
    }

    /** How many top-level objects or arrays have closed. */
    int rootsClosed() {
        return rootsClosed;
    }

    /** Bytes consumed so far, across resets: the offset of the next byte in the whole input. */
    long consumedBytes() {
        JsonParser p = parser;
        return bytesBefore + (p == null ? 0 : p.currentLocation().getByteOffset());
    }

    /**
     * The input offset of the byte just consumed; right after a {@code '}'} or {@code ']'} token,
     * that bracket's offset. (Jackson's own token location is not exact in non-blocking mode: it
     * can point at the whitespace before a token.)
     */
    long lastByteOffset() {
        return consumedBytes() - 1;
    }

    private JsonParser parser() throws IOException {
        JsonParser p = parser;
        if (p == null) {
            p = Json.FACTORY.createNonBlockingByteArrayParser();
            parser = p;
        }
        return p;
    }

    private void drain(JsonParser p, ByteArrayFeeder feeder) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            if (skippedDepth > 0) {
                if (t.isStructStart()) {
                    skippedDepth++;
                } else if (t.isStructEnd()) {
                    skippedDepth--;
                }
            } else if (t == JsonToken.FIELD_NAME) {
                next = open[depth - 1].child(p.currentName());
            } else if (t.isStructEnd()) {
                close(p, feeder);
            } else {
                FieldTree node = depth == 0 ? root : next;
                if (t.isStructStart()) {
                    open(node, t == JsonToken.START_ARRAY, p);
                } else if (node != null && node.id() != FieldTree.NONE) {
                    visitor.value(node.id(), p);
                }
            }
        }
    }

    private void open(@Nullable FieldTree node, boolean array, JsonParser p) throws IOException {
        if (node == null) {
            skippedDepth = 1;
            return;
        }
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
            openIsArray = Arrays.copyOf(openIsArray, depth * 2);
        }
        open[depth] = node;
        openIsArray[depth] = array;
        depth++;
        next = array ? node.elements() : null;
        if (node.id() != FieldTree.NONE) {
            visitor.start(node.id(), p);
        }
    }

    private void close(JsonParser p, ByteArrayFeeder feeder) throws IOException {
        // The slot is not cleared: trees are static constants, so nothing is retained.
        FieldTree node = open[--depth];
        if (depth > 0) {
            next = openIsArray[depth - 1] ? open[depth - 1].elements() : null;
        } else {
            rootsClosed++;
            closedAtEnd = feeder.needMoreInput();
        }
        if (node.id() != FieldTree.NONE) {
            visitor.end(node.id(), p);
        }
    }
}
