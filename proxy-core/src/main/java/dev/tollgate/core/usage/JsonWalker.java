package dev.tollgate.core.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Drives a {@link JsonScanner} over bytes that arrive in pieces, and reports the values a
 * {@link FieldTree} selects to a {@link JsonVisitor}. Nothing is buffered beyond the token being
 * read, and skipped values are only scanned, never decoded.
 *
 * <p>A walker accepts a sequence of top-level values: one JSON body, or one value per SSE event or
 * NDJSON line fed one after another ({@link #beginRecord()} / {@link #endRecord()}). After a
 * failure the caller calls {@link #reset()} and may go on with the next record.
 *
 * <p>Not thread-safe; one walker per request or response. It never keeps a reference to a buffer
 * after {@link #feed} returns.
 */
final class JsonWalker implements JsonTokens {

    private final FieldTree root;
    private final JsonVisitor visitor;
    private final JsonScanner scanner = new JsonScanner(this);
    private final ArrayRange input = new ArrayRange();
    private FieldTree[] open = new FieldTree[8];
    private boolean[] openIsArray = new boolean[8];
    private int depth;
    private int skippedDepth;
    private @Nullable FieldTree next;
    private int rootsClosed;
    private int rootsAtRecordStart;
    private boolean closedAtEnd;

    JsonWalker(FieldTree root, JsonVisitor visitor) {
        this.root = root;
        this.visitor = visitor;
    }

    /**
     * Reads the buffer's remaining bytes (its position is not changed) and reports what the tree
     * selects.
     *
     * @throws MalformedJsonException the bytes are not JSON; call {@link #reset()} before feeding more
     */
    void feed(ByteBuffer bytes) throws MalformedJsonException {
        ArrayRange range = input.load(bytes);
        try {
            feed(range.bytes(), range.from(), range.to());
        } finally {
            range.clear();
        }
    }

    /**
     * Reads {@code bytes[from, to)} and reports what the tree selects. The array is not kept.
     *
     * @throws MalformedJsonException the bytes are not JSON; call {@link #reset()} before feeding more
     */
    void feed(byte[] bytes, int from, int to) throws MalformedJsonException {
        if (to > from) {
            closedAtEnd = false;
        }
        scanner.feed(bytes, from, to);
    }

    /**
     * Declares the end of the input and reports the last token.
     *
     * @throws MalformedJsonException the input ended inside a value
     */
    void endOfInput() throws MalformedJsonException {
        scanner.endOfInput();
    }

    /** Marks the start of a record that should hold exactly one top-level value. */
    void beginRecord() {
        rootsAtRecordStart = rootsClosed;
    }

    /**
     * Whether the record fed since {@link #beginRecord()} held exactly one top-level object or
     * array that ended with the record's last byte. If it did not, the scanner's state is unknown
     * (a value cut short, trailing bytes), so it is reset and the next record starts clean.
     */
    boolean endRecord() {
        boolean clean = depth == 0 && skippedDepth == 0 && closedAtEnd && rootsClosed == rootsAtRecordStart + 1;
        if (!clean) {
            reset();
        }
        return clean;
    }

    /** Discards all position state; the next byte fed starts a new document. */
    void reset() {
        scanner.reset();
        depth = 0;
        skippedDepth = 0;
        next = null;
        closedAtEnd = false;
    }

    /** How many top-level objects or arrays have closed. */
    int rootsClosed() {
        return rootsClosed;
    }

    /** Bytes read so far, across resets: the offset of the next byte in the whole input. */
    long consumedBytes() {
        return scanner.consumedBytes();
    }

    /** Inside a visitor's method, the input offset of the token's last byte: a {@code '}'}'s own offset. */
    long lastByteOffset() {
        return scanner.lastByteOffset();
    }

    @Override
    public void open(JsonValue value) {
        if (skippedDepth > 0) {
            skippedDepth++;
            return;
        }
        FieldTree node = depth == 0 ? root : next;
        if (node == null) {
            skippedDepth = 1;
            return;
        }
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
            openIsArray = Arrays.copyOf(openIsArray, depth * 2);
        }
        boolean array = value.kind() == JsonValue.Kind.ARRAY;
        open[depth] = node;
        openIsArray[depth] = array;
        depth++;
        next = array ? node.elements() : null;
        if (node.id() != FieldTree.NONE) {
            visitor.start(node.id(), value);
        }
    }

    @Override
    public void close(boolean lastByteFed) {
        if (skippedDepth > 0) {
            skippedDepth--;
            return;
        }
        // The slot is not cleared: trees are static constants, so nothing is retained.
        FieldTree node = open[--depth];
        if (depth > 0) {
            next = openIsArray[depth - 1] ? open[depth - 1].elements() : null;
        } else {
            rootsClosed++;
            closedAtEnd = lastByteFed;
        }
        if (node.id() != FieldTree.NONE) {
            visitor.end(node.id());
        }
    }

    @Override
    public void name(JsonValue name) {
        if (skippedDepth > 0) {
            return;
        }
        FieldTree object = open[depth - 1];
        if (!name.isWhole()) {
            next = object.anyField();
        } else if (name.isEscaped()) {
            byte[] decoded = String.valueOf(name.text()).getBytes(StandardCharsets.UTF_8);
            next = object.child(decoded, 0, decoded.length);
        } else {
            next = object.child(name.bytes(), name.from(), name.to());
        }
    }

    @Override
    public void scalar(JsonValue value) {
        if (skippedDepth > 0) {
            return;
        }
        FieldTree node = depth == 0 ? root : next;
        if (node != null && node.id() != FieldTree.NONE) {
            visitor.value(node.id(), value);
        }
    }

    @Override
    public boolean wantsNextValue() {
        if (skippedDepth > 0) {
            return false;
        }
        FieldTree node = depth == 0 ? root : next;
        return node != null && node.id() != FieldTree.NONE;
    }
}
