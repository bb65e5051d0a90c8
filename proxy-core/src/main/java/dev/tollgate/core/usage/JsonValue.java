package dev.tollgate.core.usage;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The token a {@link JsonScanner} has just read, as its sink sees it: what kind of value it is and,
 * for a string or a number, its raw bytes. Text is decoded only when asked for, so that a value
 * that is merely compared or copied into a sample is never turned into a String.
 *
 * <p>The bytes are lent: they belong to the scanner's input or its capture buffer and are valid
 * only until the sink's method returns. A string's bytes are those between its quotes, escapes
 * undecoded; when a selected string was longer than {@link JsonScanner#CAPTURE_LIMIT}, they are
 * its first bytes and {@link #rawLength()} says how long it was.
 */
final class JsonValue {

    /** What a token is. */
    enum Kind { OBJECT, ARRAY, STRING, NUMBER, TRUE, FALSE, NULL }

    private static final byte[] NONE = new byte[0];

    private Kind kind = Kind.NULL;
    private byte[] bytes = NONE;
    private int from;
    private int to;
    private long rawLength;
    private boolean escaped;
    private boolean integral;
    private byte[] decoded = NONE;

    Kind kind() {
        return kind;
    }

    boolean isString() {
        return kind == Kind.STRING;
    }

    /** The bytes of a string between its quotes, or of a number: {@code bytes()[from(), to())}. */
    byte[] bytes() {
        return bytes;
    }

    int from() {
        return from;
    }

    int to() {
        return to;
    }

    /** The whole raw length of the string or number, which may exceed {@code to() - from()} when cut. */
    long rawLength() {
        return rawLength;
    }

    /** Whether {@link #bytes()} holds the whole string or number. */
    boolean isWhole() {
        return rawLength == to - from;
    }

    /** Whether the string has escapes ({@code \n}, {@code \u00e9}), so its raw bytes are not its text. */
    boolean isEscaped() {
        return escaped;
    }

    /** Whether the number has neither fraction nor exponent. */
    boolean isIntegral() {
        return integral;
    }

    /** The string's text, decoded; null for any other kind or a string that was cut. */
    @Nullable String text() {
        if (kind != Kind.STRING || !isWhole()) {
            return null;
        }
        if (!escaped) {
            return new String(bytes, from, to - from, StandardCharsets.UTF_8);
        }
        int length = unescape();
        return new String(decoded, 0, length, StandardCharsets.UTF_8);
    }

    /** Whether this is a whole string whose text equals {@code expected}, compared without allocating when it can be. */
    boolean textEquals(String expected) {
        if (kind != Kind.STRING || !isWhole()) {
            return false;
        }
        if (escaped) {
            return expected.equals(text());
        }
        int length = to - from;
        if (length != expected.length()) {
            return false; // a non-ASCII expected string has more bytes than chars: compared below
        }
        for (int i = 0; i < length; i++) {
            if ((bytes[from + i] & 0xFF) != expected.charAt(i)) {
                return expected.equals(text());
            }
        }
        return true;
    }

    /** Appends the string's text as UTF-8 to {@code sample}, counting the whole string even when it was cut. */
    void appendTo(TextSample sample) {
        if (kind != Kind.STRING) {
            return;
        }
        if (!escaped) {
            sample.appendUtf8(bytes, from, to, rawLength);
            return;
        }
        int length = unescape();
        // An escape takes more bytes than the text it stands for: count the cut part at that ratio.
        long whole = isWhole() ? length : Math.round((double) rawLength * length / Math.max(1, to - from));
        sample.appendUtf8(decoded, 0, length, whole);
    }

    /**
     * The number as a long, if it is an integer that fits one; {@link Long#MIN_VALUE} otherwise
     * (a fraction, an exponent, too many digits, not a number).
     */
    long longValue() {
        if (kind != Kind.NUMBER || !integral) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean negative = bytes[i] == '-';
        if (negative) {
            i++;
        }
        if (to - i > 18) {
            // 19 digits may overflow; Long.parseLong tells.
            try {
                return Long.parseLong(new String(bytes, from, to - from, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        long value = 0;
        for (; i < to; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return negative ? -value : value;
    }

    /** The number as a double (an integer too long for a long included); NaN for any other kind. */
    double doubleValue() {
        if (kind != Kind.NUMBER) {
            return Double.NaN;
        }
        if (integral && to - from <= 18) {
            return longValue();
        }
        return Double.parseDouble(new String(bytes, from, to - from, StandardCharsets.US_ASCII));
    }

    void set(Kind kind) {
        this.kind = kind;
        this.bytes = NONE;
        this.from = 0;
        this.to = 0;
        this.rawLength = 0;
        this.escaped = false;
        this.integral = false;
    }

    void setString(byte[] bytes, int from, int to, long rawLength, boolean escaped) {
        this.kind = Kind.STRING;
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        this.rawLength = rawLength;
        this.escaped = escaped;
        this.integral = false;
    }

    void setNumber(byte[] bytes, int from, int to, boolean integral) {
        this.kind = Kind.NUMBER;
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        this.rawLength = to - from;
        this.escaped = false;
        this.integral = integral;
    }

    /** Drops the reference to the lent bytes once the sink has seen them. */
    void release() {
        bytes = NONE;
    }

    /**
     * Decodes the escapes of the raw bytes into {@link #decoded} as UTF-8 and returns its length. The
     * scanner has checked every escape, so only a cut at the end can leave one incomplete: it is dropped.
     */
    private int unescape() {
        if (decoded.length < to - from) {
            decoded = new byte[Math.max(64, to - from)];
        }
        int length = 0;
        int i = from;
        while (i < to) {
            byte b = bytes[i];
            if (b != '\\') {
                decoded[length++] = b;
                i++;
                continue;
            }
            if (i + 1 >= to) {
                break;
            }
            byte escape = bytes[i + 1];
            if (escape != 'u') {
                decoded[length++] = switch (escape) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> escape; // '"', '\\', '/'
                };
                i += 2;
                continue;
            }
            if (i + 6 > to) {
                break;
            }
            int code = JsonEscapes.hex4(bytes, i + 2, to);
            i += 6;
            if (Character.isHighSurrogate((char) code) && i + 6 <= to && bytes[i] == '\\' && bytes[i + 1] == 'u') {
                int low = JsonEscapes.hex4(bytes, i + 2, to);
                if (Character.isLowSurrogate((char) low)) {
                    code = Character.toCodePoint((char) code, (char) low);
                    i += 6;
                }
            }
            // Six escaped bytes never decode to more than four: the buffer, as long as the input, has room.
            length = JsonEscapes.putUtf8(code, decoded, length);
        }
        return length;
    }
}
