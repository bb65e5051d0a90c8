package dev.tollgate.core.usage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path for the commonest event there is, an OpenAI chat stream chunk that carries no usage
 * ({@code "usage"} absent or {@code null}) once the stream's model is known. Such a chunk matters
 * only for the text it adds to the estimation sample, and one pass over its bytes finds that text
 * (the string values of {@code content}, {@code reasoning_content}, {@code reasoning},
 * {@code arguments} and {@code text}) without a JSON walk, which costs about twice as much even
 * with {@link JsonScanner}: this pass keeps no token state at all.
 *
 * <p>It is string-aware (keys and values are told apart by the {@code ':'} that follows a key, and
 * quotes inside strings are escaped). Only the text values are decoded (JSON escapes, to UTF-8;
 * UTF-8 is checked as {@link JsonScanner} checks it); every other string is merely stepped over.
 * It gives up on anything unusual: a usage object, an escaped key, malformed text. Giving up
 * returns false having added nothing, and the caller parses the chunk fully.
 *
 * <p>The chunks of one stream begin alike ({@code id}, {@code object}, {@code created},
 * {@code model}, {@code system_fingerprint} repeat in every one), so the skimmer remembers the last
 * chunk's bytes up to where its text began, and the places on the way where its pass stood before
 * a string with nothing found yet. A chunk that begins with the same bytes is read from the last
 * such place inside them: the pass is deterministic, so it would have arrived there in the same
 * state. One instance per response; not thread-safe.
 */
final class ChatChunkSkimmer {

    private static final byte[][] TEXT_KEYS = {
        bytes("content"), bytes("reasoning_content"), bytes("reasoning"), bytes("arguments"), bytes("text")
    };
    private static final byte[] USAGE = bytes("usage");

    /** Decoded text of this chunk, as UTF-8, appended to the sample only once the whole chunk is known good. */
    private byte[] chunkText = new byte[256];
    private int length;

    /** Offsets from the chunk's start where the pass stood at a string, nothing found yet; ascending. */
    private int[] restarts = new int[64];
    private int restartCount;
    /** The last good chunk's bytes up to its last restart. */
    private byte[] previous = new byte[0];
    private int previousLength;

    /**
     * Adds the chunk's text to {@code sample} and returns true, or returns false (adding nothing)
     * when the chunk needs a full parse.
     *
     * @param start the first byte of the JSON object
     * @param end   one past its last byte
     */
    boolean skim(byte[] event, int start, int end, TextSample sample) {
        length = 0;
        boolean textValueNext = false;
        int i = start + sameStart(event, start, end);
        while (i < end) {
            byte b = event[i];
            if (b == '"' && !textValueNext && length == 0) {
                addRestart(i - start);
            }
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
                    return forget();
                }
                textValueNext = false;
                i = close + 1;
                continue;
            }
            int close = plainStringEnd(event, i + 1, end);
            boolean plain = close >= 0;
            if (!plain) {
                int kept = length;
                close = decodeString(event, i + 1, end); // checks the escapes and the UTF-8
                length = kept; // not text: checked, not kept
                if (close < 0) {
                    return forget();
                }
            }
            int after = skipWhitespace(event, close + 1, end);
            if (after < end && event[after] == ':') {
                if (!plain) {
                    return forget(); // an escaped or non-ASCII key: compare it decoded, in the full parse
                }
                if (matches(event, i + 1, close, USAGE)) {
                    int value = skipWhitespace(event, after + 1, end);
                    if (value >= end || event[value] != 'n') {
                        return forget(); // usage reported: the full parse reads it
                    }
                }
                textValueNext = isTextKey(event, i + 1, close);
                i = after + 1;
                continue;
            }
            i = close + 1;
        }
        if (length > 0) {
            sample.appendUtf8(chunkText, 0, length, length);
        }
        remember(event, start);
        return true;
    }

    /**
     * How many bytes at the chunk's start may be skipped: the last restart of the previous chunk
     * within the bytes the two chunks share. Restarts beyond it are dropped; this chunk adds its own.
     */
    private int sameStart(byte[] event, int start, int end) {
        int shared = Math.min(previousLength, end - start);
        if (shared == 0) {
            restartCount = 0;
            return 0;
        }
        int mismatch = Arrays.mismatch(previous, 0, shared, event, start, start + shared);
        int same = mismatch < 0 ? shared : mismatch;
        while (restartCount > 0 && restarts[restartCount - 1] > same) {
            restartCount--;
        }
        return restartCount == 0 ? 0 : restarts[restartCount - 1];
    }

    private void addRestart(int offset) {
        if (restartCount == restarts.length || (restartCount > 0 && restarts[restartCount - 1] >= offset)) {
            return;
        }
        restarts[restartCount++] = offset;
    }

    /** Keeps this good chunk's bytes up to its last restart, for the next chunk to compare. */
    private void remember(byte[] event, int start) {
        previousLength = restartCount == 0 ? 0 : restarts[restartCount - 1];
        if (previous.length < previousLength) {
            previous = new byte[Math.max(previousLength, 2 * previous.length)];
        }
        System.arraycopy(event, start, previous, 0, previousLength);
    }

    /** Gives up on this chunk, and on what the last one taught: the next starts from scratch. */
    private boolean forget() {
        restartCount = 0;
        previousLength = 0;
        return false;
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

    /** Decodes the string whose content starts at {@code from} onto {@link #chunkText}; returns its closing quote, or -1. */
    private int decodeString(byte[] event, int from, int end) {
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
                    case '"', '\\', '/' -> put(escape);
                    case 'n' -> put('\n');
                    case 't' -> put('\t');
                    case 'r' -> put('\r');
                    case 'b' -> put('\b');
                    case 'f' -> put('\f');
                    case 'u' -> {
                        int code = JsonEscapes.hex4(event, i + 2, end);
                        if (code < 0) {
                            return -1;
                        }
                        i += 4;
                        if (Character.isHighSurrogate((char) code) && i + 8 <= end && event[i + 2] == '\\' && event[i + 3] == 'u') {
                            int low = JsonEscapes.hex4(event, i + 4, end);
                            if (low >= 0 && Character.isLowSurrogate((char) low)) {
                                code = Character.toCodePoint((char) code, (char) low);
                                i += 6;
                            }
                        }
                        putCodePoint(code);
                    }
                    default -> {
                        return -1;
                    }
                }
                i += 2;
            } else if (b < 0x20) {
                return -1; // a control byte: not JSON
            } else if (b < 0x80) {
                put(b);
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

    /** Checks one multi-byte UTF-8 sequence (RFC 3629) and copies it; returns the next index, or -1. */
    private int decodeUtf8(byte[] event, int at, int end, int lead) {
        int extra;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return -1;
        }
        if (at + extra >= end) {
            return -1;
        }
        for (int k = 1; k <= extra; k++) {
            int next = event[at + k] & 0xFF;
            if (next < low || next > high) {
                return -1;
            }
            low = 0x80;
            high = 0xBF;
        }
        for (int k = 0; k <= extra; k++) {
            put(event[at + k]);
        }
        return at + extra + 1;
    }

    private void putCodePoint(int code) {
        if (length + 4 > chunkText.length) {
            chunkText = Arrays.copyOf(chunkText, chunkText.length * 2);
        }
        length = JsonEscapes.putUtf8(code, chunkText, length);
    }

    private void put(int b) {
        if (length == chunkText.length) {
            chunkText = Arrays.copyOf(chunkText, length * 2);
        }
        chunkText[length++] = (byte) b;
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
