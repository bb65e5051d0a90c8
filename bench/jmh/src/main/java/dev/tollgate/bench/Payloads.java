package dev.tollgate.bench;

import dev.tollgate.server.buffer.HeapCopy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The canned bodies of bench/payloads (packaged as resources), as the server would hold them. */
final class Payloads {

    private Payloads() {}

    static byte[] bytes(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no payload " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A body as the server hands it to the parsers: read from a socket into a direct buffer, then
     * copied into the event loop's heap scratch ({@link HeapCopy}), which is part of the measured
     * work. Call {@link HeapCopy#of} on the returned buffer once per op.
     */
    static ByteBuf direct(byte[] bytes) {
        return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    /**
     * An SSE body as the socket would deliver it: {@code "event"} gives one chunk per SSE event (a
     * live token stream, one read per token), {@code "whole"} one chunk for the whole body (a fast
     * upstream). Chunks are direct buffers from {@code alloc}; the caller releases them.
     */
    static ByteBuf[] sseChunks(byte[] body, String chunking, ByteBufAllocator alloc) {
        List<byte[]> parts = new ArrayList<>();
        if ("whole".equals(chunking)) {
            parts.add(body);
        } else if ("event".equals(chunking)) {
            String text = new String(body, StandardCharsets.UTF_8);
            int from = 0;
            int end;
            while ((end = text.indexOf("\n\n", from)) >= 0) {
                parts.add(text.substring(from, end + 2).getBytes(StandardCharsets.UTF_8));
                from = end + 2;
            }
            if (from < text.length()) {
                parts.add(text.substring(from).getBytes(StandardCharsets.UTF_8));
            }
        } else {
            throw new IllegalArgumentException("chunking: " + chunking + " (expected: event or whole)");
        }
        ByteBuf[] chunks = new ByteBuf[parts.size()];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = alloc.directBuffer(parts.get(i).length).writeBytes(parts.get(i));
        }
        return chunks;
    }

    static void release(ByteBuf[] chunks) {
        if (chunks != null) {
            for (ByteBuf chunk : chunks) {
                chunk.release();
            }
        }
    }
}
