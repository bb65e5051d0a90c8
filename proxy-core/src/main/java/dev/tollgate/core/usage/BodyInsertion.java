package dev.tollgate.core.usage;

import java.nio.charset.StandardCharsets;

/**
 * Bytes to insert into a request body at a byte offset, e.g. {@code ,"stream_options":{"include_usage":true}}
 * just before the top-level closing brace.
 *
 * @param offset the byte offset in the original body before which {@code bytes} go
 * @param bytes  UTF-8 JSON text
 */
public record BodyInsertion(long offset, byte[] bytes) {

    /** The UTF-8 bytes of {@code json}, to go before byte {@code offset}. */
    public static BodyInsertion of(long offset, String json) {
        return new BodyInsertion(offset, json.getBytes(StandardCharsets.UTF_8));
    }
}
