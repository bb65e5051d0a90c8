package dev.tollgate.core.usage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path for the commonest event there is, an OpenAI chat stream chunk that carries no usage
 * ({@code "usage"} absent or {@code null}) once the stream's model is known. Such a chunk matters
 * only for the text it adds to the estimation sample, and one pass over its bytes finds that text
 * (the string values of {@code content}, {@code reasoning_content}, {@code reasoning},
 * {@code arguments} and {@code text}) without a JSON walk, which costs several times more.
 *
 * <p>It is string-aware (keys and values are told apart by the {@code ':'} that follows a key, and
 * quotes inside strings are escaped). Only the text values are decoded (UTF-8 and JSON escapes,
 * by hand); every other string is merely stepped over. It gives up on anything unusual: a usage
 * object, an escaped key, a byte outside ASCII where no text is expected, malformed text. Giving
 * up returns false having added nothing, and the caller parses the chunk fully. One instance per
 * response; not thread-safe.
 */
final class ChatChunkSkimmer {

    private static final byte[][] TEXT_KEYS = {
        bytes("content"), bytes("reasoning_content"), bytes("reasoning"), bytes("arguments"), bytes("text")
    };
    private static final byte[] USAGE = bytes("usage");

    private char[] scratch = new char[256];
    private int length;
    /** Decoded text of this chunk, appended to the sample only once the whole chunk is known good. */
    private final StringBuilder chunkText = new StringBuilder();

    /**
     * Adds the chunk's text to {@code sample} and returns true, or returns false (adding nothing)
     * when the chunk needs a full parse.
     *
     * @param start the first byte of the JSON object
     * @param end   one past its last byte
     */
    boolean skim(byte[] event, int start, int end, TextSample sample) {
        chunkText.setLength(0);
        boolean textValueNext = false;
        int i = start;
        while (i < end) {
            byte b = event[i];
            if (b != '"') {
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != ':') {
                    textValueNext = false; // a number, null, object or array: not text
                }
                i++;
                continue;
            }
            if (textValueNext) {
                int close = decodeString(event, i + 1, end);
                if (close < 0 || isKey(event, close, end)) {
                    return false;
                }
                chunkText.append(scratch, 0, length);
                textValueNext = false;
                i = close + 1;
                continue;
            }
            int close = plainStringEnd(event, i + 1, end);
            boolean plain = close >= 0;
            if (!plain) {
                close = decodeString(event, i + 1, end); // checks the escapes and the UTF-8
                if (close < 0) {
                    return false;
                }
            }
            int after = skipWhitespace(event, close + 1, end);
            if (after < end && event[after] == ':') {
                if (!plain) {
                    return false; // an escaped or non-ASCII key: compare it decoded, in the full parse
                }
                if (matches(event, i + 1, close, USAGE)) {
                    int value = skipWhitespace(event, after + 1, end);
                    if (value >= end || event[value] != 'n') {
                        return false; // usage reported: the full parse reads it
                    }
                }
                textValueNext = isTextKey(event, i + 1, close);
                i = after + 1;
                continue;
            }
            i = close + 1;
        }
        if (!chunkText.isEmpty()) {
            sample.append(chunkText);
        }
        return true;
    }

    /**
     * Steps over a string that is not text (a key, an id, the model): returns its closing quote, or
     * -1 when it holds an escape or a byte outside ASCII, which only a decode can check.
     */
    private static int plainStringEnd(byte[] event, int from, int end) {
        int stop = ByteScan.stringStop(event, from, end);
        return stop < end && event[stop] == '"' ? stop : -1;
    }

    /** Whether the string closing at {@code close} is followed by {@code ':'}, which makes it a key. */
    private static boolean isKey(byte[] event, int close, int end) {
        int after = skipWhitespace(event, close + 1, end);
        return after < end && event[after] == ':';
    }

    /** Decodes the string whose content starts at {@code from} into {@link #scratch}; returns its closing quote, or -1. */
    private int decodeString(byte[] event, int from, int end) {
        length = 0;
        int i = from;
        while (i < end) {
            int b = event[i] & 0xFF;
            if (b == '"') {
                return i;
            }
            if (b == '\\') {
                if (i + 1 >= end) {
                    return -1;
                }
                int escape = event[i + 1];
                switch (escape) {
                    case '"', '\\', '/' -> put((char) escape);
                    case 'n' -> put('\n');
                    case 't' -> put('\t');
                    case 'r' -> put('\r');
                    case 'b' -> put('\b');
                    case 'f' -> put('\f');
                    case 'u' -> {
                        if (i + 6 > end) {
                            return -1;
                        }
                        int code = 0;
                        for (int k = i + 2; k < i + 6; k++) {
                            int digit = Character.digit(event[k], 16);
                            if (digit < 0) {
                                return -1;
                            }
                            code = code * 16 + digit;
                        }
                        put((char) code);
                        i += 4;
                    }
                    default -> {
                        return -1;
                    }
                }
                i += 2;
            } else if (b < 0x80) {
                put((char) b);
                i++;
            } else {
                i = decodeUtf8(event, i, end, b);
                if (i < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** Decodes one multi-byte UTF-8 sequence starting with {@code lead}; returns the next index, or -1. */
    private int decodeUtf8(byte[] event, int at, int end, int lead) {
        int extra;
        int code;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
            code = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            code = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            code = lead & 0x07;
        } else {
            return -1;
        }
        if (at + extra >= end) {
            return -1;
        }
        for (int k = 1; k <= extra; k++) {
            int next = event[at + k] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                return -1;
            }
            code = (code << 6) | (next & 0x3F);
        }
        if (code >= 0x10000) {
            put(Character.highSurrogate(code));
            put(Character.lowSurrogate(code));
        } else {
            put((char) code);
        }
        return at + extra + 1;
    }

    private void put(char c) {
        if (length == scratch.length) {
            scratch = Arrays.copyOf(scratch, length * 2);
        }
        scratch[length++] = c;
    }

    private static int skipWhitespace(byte[] event, int from, int end) {
        int i = from;
        while (i < end) {
            byte b = event[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
            i++;
        }
        return i;
    }

    private static boolean isTextKey(byte[] event, int from, int to) {
        for (byte[] key : TEXT_KEYS) {
            if (matches(event, from, to, key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] event, int from, int to, byte[] key) {
        if (to - from != key.length) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (event[from + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
