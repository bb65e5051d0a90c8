package dev.tollgate.core.usage;

/** Decoding helpers shared by the readers of JSON strings: {@link JsonValue} and {@link ChatChunkSkimmer}. */
final class JsonEscapes {

    private JsonEscapes() {}

    /** The four hex digits of a {@code \\u} escape at {@code bytes[at, at + 4)} as a number, or -1. */
    static int hex4(byte[] bytes, int at, int end) {
        if (at + 4 > end) {
            return -1;
        }
        int code = 0;
        for (int k = at; k < at + 4; k++) {
            int digit = Character.digit(bytes[k], 16);
            if (digit < 0) {
                return -1;
            }
            code = code << 4 | digit;
        }
        return code;
    }

    /**
     * Writes a code point as UTF-8 at {@code out[at]} (room for four bytes is the caller's) and
     * returns the index after it. A lone surrogate becomes U+FFFD, as a strict decoder reads it.
     */
    static int putUtf8(int code, byte[] out, int at) {
        if (code < 0x80) {
            out[at++] = (byte) code;
        } else if (code < 0x800) {
            out[at++] = (byte) (0xC0 | code >> 6);
            out[at++] = (byte) (0x80 | code & 0x3F);
        } else if (code >= 0x10000) {
            out[at++] = (byte) (0xF0 | code >> 18);
            out[at++] = (byte) (0x80 | code >> 12 & 0x3F);
            out[at++] = (byte) (0x80 | code >> 6 & 0x3F);
            out[at++] = (byte) (0x80 | code & 0x3F);
        } else {
            int c = Character.isSurrogate((char) code) ? 0xFFFD : code;
            out[at++] = (byte) (0xE0 | c >> 12);
            out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
            out[at++] = (byte) (0x80 | c & 0x3F);
        }
        return at;
    }
}
