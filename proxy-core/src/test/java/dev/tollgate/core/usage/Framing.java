package dev.tollgate.core.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Test helper: cuts a body into the chunks a socket might deliver and frames them into the records
 * the server hands to a {@link ResponseUsageParser}: whole SSE events (their lines, without the
 * terminating blank line), NDJSON lines (without their line end), or the raw chunks for JSON.
 *
 * <p>Like the server, a record that lies inside one chunk is handed over as a view of that chunk
 * (so its position is not 0); one that spans chunks is copied into a buffer of its own. Chunks vary
 * in kind (heap with padding around the bytes, direct, read-only) so that parsers are tested
 * against every buffer a Netty {@code nioBuffer()} can produce.
 */
final class Framing {

    private Framing() {}

    static byte[] resource(String name) {
        try (InputStream in = Framing.class.getResourceAsStream("/usage/" + name)) {
            return Objects.requireNonNull(in, name).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body in chunks of {@code size} bytes (the last one shorter). */
    static List<Chunk> chunksOfSize(byte[] body, int size) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = size; i < body.length; i += size) {
            cuts.add(i);
        }
        return chunks(body, cuts.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The body cut at these ascending offsets. */
    static List<Chunk> chunks(byte[] body, int... cuts) {
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : body.length;
            if (end > start || body.length == 0) {
                chunks.add(new Chunk(start, buffer(body, start, end, chunks.size())));
            }
            start = end;
        }
        return chunks;
    }

    /** The records the server would pass to a parser for this format. */
    static List<ByteBuffer> records(ResponseFormat format, byte[] body, List<Chunk> chunks) {
        if (format == ResponseFormat.JSON) {
            List<ByteBuffer> buffers = new ArrayList<>();
            chunks.forEach(c -> buffers.add(c.buffer()));
            return buffers;
        }
        List<int[]> bounds = format == ResponseFormat.SSE ? sseEvents(body) : ndjsonLines(body);
        List<ByteBuffer> records = new ArrayList<>();
        for (int[] b : bounds) {
            records.add(record(body, b[0], b[1], chunks, records.size()));
        }
        return records;
    }

    /** Feeds records the way the server does and checks that no buffer was moved. */
    static ParsedUsage feed(ResponseUsageParser parser, List<ByteBuffer> records) {
        for (ByteBuffer record : records) {
            int position = record.position();
            int limit = record.limit();
            parser.onData(record);
            if (record.position() != position || record.limit() != limit) {
                throw new AssertionError("parser moved the buffer");
            }
        }
        parser.onEnd();
        return parser.result();
    }

    /** SSE events: lines up to a blank line, without that blank line; a trailing partial event too. */
    static List<int[]> sseEvents(byte[] body) {
        List<int[]> events = new ArrayList<>();
        int eventStart = 0;
        int i = 0;
        while (i < body.length) {
            int lineStart = i;
            while (i < body.length && body[i] != '\n' && body[i] != '\r') {
                i++;
            }
            boolean blank = i == lineStart && i < body.length;
            if (i < body.length) {
                i += body[i] == '\r' && i + 1 < body.length && body[i + 1] == '\n' ? 2 : 1;
            }
            if (blank) {
                if (lineStart > eventStart) {
                    events.add(new int[] {eventStart, lineStart});
                }
                eventStart = i;
            }
        }
        if (eventStart < body.length) {
            events.add(new int[] {eventStart, body.length});
        }
        return events;
    }

    /** NDJSON lines without their LF or CRLF. */
    static List<int[]> ndjsonLines(byte[] body) {
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (i < body.length || end > start) {
                    lines.add(new int[] {start, end});
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static ByteBuffer record(byte[] body, int start, int end, List<Chunk> chunks, int n) {
        for (Chunk chunk : chunks) {
            int chunkEnd = chunk.offset() + chunk.buffer().remaining();
            if (chunk.offset() <= start && end <= chunkEnd) {
                ByteBuffer view = chunk.buffer().duplicate();
                int base = chunk.buffer().position() - chunk.offset();
                view.limit(base + end).position(base + start);
                return view;
            }
        }
        return buffer(body, start, end, n);
    }

    /** Bytes [start, end) in a buffer whose kind depends on {@code n}: padded heap, direct, read-only. */
    static ByteBuffer buffer(byte[] body, int start, int end, int n) {
        int length = end - start;
        switch (n % 3) {
            case 0 -> {
                int pad = 1 + n % 5;
                byte[] array = new byte[pad + length + 3];
                java.util.Arrays.fill(array, (byte) '}');
                System.arraycopy(body, start, array, pad, length);
                return ByteBuffer.wrap(array, pad, length);
            }
            case 1 -> {
                ByteBuffer direct = ByteBuffer.allocateDirect(length + 2);
                direct.put((byte) '{').put(body, start, length).put((byte) '{');
                return direct.limit(1 + length).position(1);
            }
            default -> {
                return ByteBuffer.wrap(body, start, length).slice().asReadOnlyBuffer();
            }
        }
    }

    /** One chunk as delivered, and where it starts in the body. */
    record Chunk(int offset, ByteBuffer buffer) {}
}
