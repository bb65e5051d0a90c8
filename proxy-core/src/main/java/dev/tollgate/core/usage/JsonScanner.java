package dev.tollgate.core.usage;

import dev.tollgate.core.usage.MalformedJsonException.Problem;
import java.util.Arrays;

/**
 * An incremental JSON tokenizer for bytes that arrive in pieces split anywhere: each call reads its
 * piece to the end and reports the tokens completed in it to a {@link JsonTokens} sink, keeping only
 * the state of the token it stopped in. It accepts exactly RFC 8259 in UTF-8 (no comments, no
 * single quotes, no leading zeros, no control bytes or invalid UTF-8 in strings; RFC 3629 for
 * UTF-8, so no overlong forms and no encoded surrogates) and a sequence of top-level values, as one
 * SSE event or NDJSON line after another. The first problem throws {@link MalformedJsonException}.
 *
 * <p>Strings are the bulk of every body, so they are stepped over eight bytes at a time
 * ({@link ByteScan#stringStop}) and never decoded here: a sink gets the raw bytes and decodes what
 * it needs. A string is copied only when it spans pieces and the sink wants it
 * ({@link JsonTokens#wantsNextValue()}), and then only its first {@link #CAPTURE_LIMIT} bytes.
 *
 * <p>Limits, as Jackson's defaults: {@value #MAX_DEPTH} levels of nesting, {@value #MAX_NUMBER_LENGTH}
 * characters in a number. Not thread-safe; one scanner per body or stream.
 */
final class JsonScanner {

    static final int MAX_DEPTH = 1000;
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Bytes kept of a wanted string value that spans pieces of input: more than any reader samples. */
    static final int CAPTURE_LIMIT = 16 * 1024;
    /** Bytes kept of a field name that spans pieces: longer names match no selected field. */
    static final int NAME_CAPTURE_LIMIT = 256;

    // Between tokens: what the next byte that is not whitespace may be.
    private static final int VALUE = 0; // a value: at the top level, after ':', after ',' in an array
    private static final int VALUE_OR_CLOSE = 1; // after '['
    private static final int NAME_OR_CLOSE = 2; // after '{'
    private static final int NAME = 3; // after ',' in an object
    private static final int COLON = 4;
    private static final int COMMA_OR_CLOSE = 5; // after a value in an object or array
    // Inside a token.
    private static final int IN_STRING = 6;
    private static final int IN_NUMBER = 7;
    private static final int IN_LITERAL = 8;

    // Where a string is, when not in plain text.
    private static final int PLAIN = 0;
    private static final int ESCAPE = 1; // after '\'
    private static final int HEX = 2; // in the four digits of a backslash-u escape
    private static final int UTF8 = 3; // in a multi-byte character

    // Where a number is: the part just read.
    private static final int MINUS = 0;
    private static final int ZERO = 1; // a leading 0: no more integer digits
    private static final int INTEGER = 2;
    private static final int POINT = 3;
    private static final int FRACTION = 4;
    private static final int EXPONENT_MARK = 5;
    private static final int EXPONENT_SIGN = 6;
    private static final int EXPONENT = 7;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] NO_BYTES = {};

    private final JsonTokens sink;
    private final JsonValue value = new JsonValue();

    private int state = VALUE;
    /** Open containers, innermost last: true for an object. */
    private boolean[] objects = new boolean[16];
    private int depth;

    /** Offset in the whole input of index 0 of the piece being read. */
    private long base;
    private long consumed;

    // The token being read.
    private boolean stringIsName;
    private boolean stringEscaped;
    private boolean keepParts;
    private int stringPart;
    private int hexLeft;
    private int utf8Left;
    private int utf8Low;
    private int utf8High;
    private int numberPart;
    private boolean numberIntegral;
    private byte[] literal = NULL;
    private int literalMatched;
    /** Length of the token so far, in earlier pieces. */
    private long tokenLength;
    /** The token's bytes from earlier pieces, up to the capture limit; allocated for the first such token. */
    private byte[] capture = NO_BYTES;
    private int captured;
    /** Index in the piece being read of the last byte of the token being reported. */
    private int position;

    JsonScanner(JsonTokens sink) {
        this.sink = sink;
    }

    /**
     * Reads {@code bytes[from, to)} to the end, reporting every token completed in it. The array is
     * not kept.
     *
     * @throws MalformedJsonException the bytes are not JSON; {@link #reset()} before feeding more
     */
    void feed(byte[] bytes, int from, int to) throws MalformedJsonException {
        base = consumed - from;
        int i = from;
        try {
            if (i < to && state >= IN_STRING) {
                i = resume(bytes, i, to);
            }
            while (i < to) {
                i = token(bytes, i, to);
            }
        } finally {
            value.release();
            consumed = base + to;
        }
    }

    /**
     * Declares the end of the input: a number at the top level ends here.
     *
     * @throws MalformedJsonException the input ended inside a value
     */
    void endOfInput() throws MalformedJsonException {
        if (state == IN_NUMBER && depth == 0 && numberComplete()) {
            base = consumed;
            position = -1;
            value.setNumber(capture, 0, captured, numberIntegral);
            scalarDone();
            value.release();
        }
        if (state != VALUE || depth > 0) {
            throw new MalformedJsonException(Problem.TRUNCATED, "the input ends before the JSON value is complete", consumed);
        }
    }

    /** Forgets any token or container in progress; the next byte starts a new top-level value. */
    void reset() {
        state = VALUE;
        depth = 0;
        captured = 0;
        tokenLength = 0;
    }

    /** Bytes read so far, across resets: the offset of the next byte in the whole input. */
    long consumedBytes() {
        return consumed;
    }

    /** Inside a sink's method, the offset of the token's last byte (a bracket's own offset). */
    long lastByteOffset() {
        return base + position;
    }

    /** Goes on with the token that the last piece ended in. */
    private int resume(byte[] bytes, int i, int to) throws MalformedJsonException {
        return switch (state) {
            case IN_STRING -> string(bytes, i, i, to);
            case IN_NUMBER -> number(bytes, i, i, to);
            default -> literal(bytes, i, to);
        };
    }

    /**
     * Reads the token, or the whitespace byte, at {@code i}, and returns the index after it (or
     * {@code to} when it goes on in the next piece). The common tokens take the short way: a string
     * without escapes or non-ASCII bytes, an integer, a literal, each whole in this piece. Kept
     * small, so that the JIT inlines it into {@link #feed}'s loop.
     */
    private int token(byte[] bytes, int i, int to) throws MalformedJsonException {
        byte b = bytes[i];
        if (b == '"') {
            return quoted(bytes, i, to);
        }
        if (b == ',' && state == COMMA_OR_CLOSE) {
            state = objects[depth - 1] ? NAME : VALUE;
            return i + 1;
        }
        if (b == ':' && state == COLON) {
            state = VALUE;
            return i + 1;
        }
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
            return i + 1;
        }
        return other(bytes, i, to);
    }

    /** A string at {@code i}: a field name or a value, as the state says. */
    private int quoted(byte[] bytes, int i, int to) throws MalformedJsonException {
        boolean name = state == NAME || state == NAME_OR_CLOSE;
        if (!name && state != VALUE && state != VALUE_OR_CLOSE) {
            throw unexpected(i);
        }
        int start = i + 1;
        int stop = ByteScan.stringStop(bytes, start, to);
        if (stop == to || bytes[stop] != '"') {
            return longString(name, bytes, start, stop, to);
        }
        position = stop;
        value.setString(bytes, start, stop, stop - start, false);
        if (name) {
            state = COLON;
            sink.name(value);
        } else {
            state = depth == 0 ? VALUE : COMMA_OR_CLOSE;
            sink.scalar(value);
        }
        return stop + 1;
    }

    /** Everything but strings, ',', ':' and whitespace, and the errors those make. */
    private int other(byte[] bytes, int i, int to) throws MalformedJsonException {
        byte b = bytes[i];
        position = i;
        switch (b) {
            case '}', ']' -> {
                boolean object = b == '}';
                boolean allowed = object
                        ? state == NAME_OR_CLOSE || (state == COMMA_OR_CLOSE && objects[depth - 1])
                        : state == VALUE_OR_CLOSE || (state == COMMA_OR_CLOSE && !objects[depth - 1]);
                if (!allowed) {
                    throw unexpected(i);
                }
                depth--;
                state = depth == 0 ? VALUE : COMMA_OR_CLOSE;
                sink.close(i == to - 1);
                return i + 1;
            }
            case '{', '[' -> {
                expectValue(i);
                open(b == '{', i);
                return i + 1;
            }
            case 't', 'f', 'n' -> {
                expectValue(i);
                return startLiteral(b, bytes, i, to);
            }
            default -> {
                if (b != '-' && (b < '0' || b > '9')) {
                    throw unexpected(i);
                }
                expectValue(i);
                return startNumber(b, bytes, i, to);
            }
        }
    }

    /** A string that has an escape or a non-ASCII byte at {@code stop}, or goes on in the next piece. */
    private int longString(boolean name, byte[] bytes, int start, int stop, int to) throws MalformedJsonException {
        state = IN_STRING;
        stringIsName = name;
        stringEscaped = false;
        stringPart = PLAIN;
        keepParts = name || sink.wantsNextValue();
        tokenLength = 0;
        captured = 0;
        return string(bytes, start, stop, to);
    }

    private int startLiteral(byte b, byte[] bytes, int i, int to) throws MalformedJsonException {
        literal = b == 't' ? TRUE : b == 'f' ? FALSE : NULL;
        literalMatched = 1;
        state = IN_LITERAL;
        return literal(bytes, i + 1, to);
    }

    private int startNumber(byte b, byte[] bytes, int i, int to) throws MalformedJsonException {
        // An integer whole in this piece, without a leading zero: the commonest number there is.
        int digits = b == '-' ? i + 1 : i;
        int end = digits;
        while (end < to && bytes[end] >= '0' && bytes[end] <= '9') {
            end++;
        }
        if (end < to && end > digits && end - i <= 19 && (bytes[digits] != '0' || end == digits + 1)) {
            byte next = bytes[end];
            if (next != '.' && next != 'e' && next != 'E') {
                position = end - 1;
                value.setNumber(bytes, i, end, true);
                state = depth == 0 ? VALUE : COMMA_OR_CLOSE;
                sink.scalar(value);
                return end;
            }
        }
        state = IN_NUMBER;
        numberPart = b == '-' ? MINUS : b == '0' ? ZERO : INTEGER;
        numberIntegral = true;
        tokenLength = 0;
        captured = 0;
        return number(bytes, i, i + 1, to);
    }

    private void expectValue(int i) throws MalformedJsonException {
        if (state != VALUE && state != VALUE_OR_CLOSE) {
            throw unexpected(i);
        }
    }

    private void open(boolean object, int i) throws MalformedJsonException {
        if (depth == MAX_DEPTH) {
            throw new MalformedJsonException(Problem.LIMIT, "the JSON nests deeper than " + MAX_DEPTH + " levels", base + i);
        }
        if (depth == objects.length) {
            objects = Arrays.copyOf(objects, depth * 2);
        }
        objects[depth++] = object;
        state = object ? NAME_OR_CLOSE : VALUE_OR_CLOSE;
        value.set(object ? JsonValue.Kind.OBJECT : JsonValue.Kind.ARRAY);
        sink.open(value);
    }

    /** What the state allows next, for an error message. */
    private String expected() {
        return switch (state) {
            case VALUE -> "a JSON value";
            case VALUE_OR_CLOSE -> "a JSON value or ']'";
            case NAME_OR_CLOSE -> "a field name or '}'";
            case NAME -> "a field name";
            case COLON -> "':'";
            default -> objects[depth - 1] ? "',' or '}'" : "',' or ']'";
        };
    }

    private MalformedJsonException unexpected(int i) {
        return syntax("expected " + expected(), i);
    }

    private void afterValue() {
        state = depth == 0 ? VALUE : COMMA_OR_CLOSE;
    }

    /**
     * Reads string content from {@code i}; this piece's part of the string began at {@code partStart}.
     * Returns the index after the closing quote, or {@code to}.
     */
    private int string(byte[] bytes, int partStart, int i, int to) throws MalformedJsonException {
        while (i < to) {
            if (stringPart != PLAIN) {
                i = stringSpecial(bytes, i, to);
                continue;
            }
            int stop = ByteScan.stringStop(bytes, i, to);
            if (stop == to) {
                break;
            }
            int b = bytes[stop] & 0xFF;
            if (b == '"') {
                position = stop;
                endString(bytes, partStart, stop);
                return stop + 1;
            }
            if (b == '\\') {
                stringEscaped = true;
                stringPart = ESCAPE;
            } else if (b < 0x20) {
                throw syntax("a control character in a string", stop);
            } else {
                utf8Start(b, stop);
            }
            i = stop + 1;
        }
        keepPart(bytes, partStart, to, stringIsName ? NAME_CAPTURE_LIMIT : CAPTURE_LIMIT);
        return to;
    }

    /** One byte of an escape or a multi-byte character. */
    private int stringSpecial(byte[] bytes, int i, int to) throws MalformedJsonException {
        int b = bytes[i] & 0xFF;
        switch (stringPart) {
            case ESCAPE -> {
                if (b == 'u') {
                    stringPart = HEX;
                    hexLeft = 4;
                } else if (b == '"' || b == '\\' || b == '/' || b == 'b' || b == 'f' || b == 'n' || b == 'r' || b == 't') {
                    stringPart = PLAIN;
                } else {
                    throw syntax("an invalid escape in a string", i);
                }
            }
            case HEX -> {
                if (Character.digit(b, 16) < 0) {
                    throw syntax("an invalid escape in a string", i);
                }
                if (--hexLeft == 0) {
                    stringPart = PLAIN;
                }
            }
            default -> { // UTF8
                if (b < utf8Low || b > utf8High) {
                    throw utf8(i);
                }
                utf8Low = 0x80;
                utf8High = 0xBF;
                if (--utf8Left == 0) {
                    stringPart = PLAIN;
                }
            }
        }
        return i + 1;
    }

    /** The lead byte of a multi-byte character (RFC 3629): sets the range of the next byte. */
    private void utf8Start(int lead, int i) throws MalformedJsonException {
        utf8Low = 0x80;
        utf8High = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            utf8Left = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            utf8Left = 2;
            if (lead == 0xE0) {
                utf8Low = 0xA0; // no overlong forms
            } else if (lead == 0xED) {
                utf8High = 0x9F; // no surrogates
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            utf8Left = 3;
            if (lead == 0xF0) {
                utf8Low = 0x90;
            } else if (lead == 0xF4) {
                utf8High = 0x8F; // nothing above U+10FFFF
            }
        } else {
            throw utf8(i);
        }
        stringPart = UTF8;
    }

    private void endString(byte[] bytes, int partStart, int close) {
        long length = tokenLength + (close - partStart);
        if (captured == 0 && tokenLength == 0) {
            value.setString(bytes, partStart, close, length, stringEscaped);
        } else {
            keepPart(bytes, partStart, close, stringIsName ? NAME_CAPTURE_LIMIT : CAPTURE_LIMIT);
            value.setString(capture, 0, captured, length, stringEscaped);
        }
        if (stringIsName) {
            state = COLON;
            sink.name(value);
        } else {
            afterValue();
            sink.scalar(value);
        }
    }

    /**
     * Reads number characters from {@code i}; the number's part in this piece began at
     * {@code partStart}. Returns the index of the byte after the number, or {@code to}.
     */
    private int number(byte[] bytes, int partStart, int i, int to) throws MalformedJsonException {
        for (; i < to; i++) {
            byte b = bytes[i];
            boolean digit = b >= '0' && b <= '9';
            switch (numberPart) {
                case MINUS -> {
                    if (!digit) {
                        throw syntax("expected a digit", i);
                    }
                    numberPart = b == '0' ? ZERO : INTEGER;
                    continue;
                }
                case ZERO, INTEGER -> {
                    if (digit && numberPart == INTEGER) {
                        continue;
                    }
                    if (digit) {
                        throw syntax("a number with a leading zero", i);
                    }
                    if (b == '.') {
                        numberPart = POINT;
                        numberIntegral = false;
                        continue;
                    }
                    if (b == 'e' || b == 'E') {
                        numberPart = EXPONENT_MARK;
                        numberIntegral = false;
                        continue;
                    }
                }
                case POINT -> {
                    if (!digit) {
                        throw syntax("expected a digit", i);
                    }
                    numberPart = FRACTION;
                    continue;
                }
                case FRACTION -> {
                    if (digit) {
                        continue;
                    }
                    if (b == 'e' || b == 'E') {
                        numberPart = EXPONENT_MARK;
                        continue;
                    }
                }
                case EXPONENT_MARK -> {
                    if (b == '+' || b == '-') {
                        numberPart = EXPONENT_SIGN;
                        continue;
                    }
                    if (!digit) {
                        throw syntax("expected a digit", i);
                    }
                    numberPart = EXPONENT;
                    continue;
                }
                case EXPONENT_SIGN -> {
                    if (!digit) {
                        throw syntax("expected a digit", i);
                    }
                    numberPart = EXPONENT;
                    continue;
                }
                default -> { // EXPONENT
                    if (digit) {
                        continue;
                    }
                }
            }
            // Any other byte ends a complete number and is read as the next token's.
            endNumber(bytes, partStart, i);
            return i;
        }
        if (tokenLength + (to - partStart) > MAX_NUMBER_LENGTH) {
            throw new MalformedJsonException(Problem.LIMIT, "a number longer than " + MAX_NUMBER_LENGTH + " characters", base + to - 1);
        }
        keepPart(bytes, partStart, to, MAX_NUMBER_LENGTH);
        return to;
    }

    private boolean numberComplete() {
        return numberPart == ZERO || numberPart == INTEGER || numberPart == FRACTION || numberPart == EXPONENT;
    }

    private void endNumber(byte[] bytes, int partStart, int end) throws MalformedJsonException {
        if (tokenLength + (end - partStart) > MAX_NUMBER_LENGTH) {
            throw new MalformedJsonException(Problem.LIMIT, "a number longer than " + MAX_NUMBER_LENGTH + " characters", base + end - 1);
        }
        position = end - 1;
        if (captured == 0 && tokenLength == 0) {
            value.setNumber(bytes, partStart, end, numberIntegral);
        } else {
            keepPart(bytes, partStart, end, MAX_NUMBER_LENGTH);
            value.setNumber(capture, 0, captured, numberIntegral);
        }
        scalarDone();
    }

    private void scalarDone() {
        afterValue();
        sink.scalar(value);
    }

    private int literal(byte[] bytes, int i, int to) throws MalformedJsonException {
        for (; i < to && literalMatched < literal.length; i++, literalMatched++) {
            if (bytes[i] != literal[literalMatched]) {
                throw syntax("expected true, false or null", i);
            }
        }
        if (literalMatched == literal.length) {
            position = i - 1;
            value.set(literal == TRUE ? JsonValue.Kind.TRUE : literal == FALSE ? JsonValue.Kind.FALSE : JsonValue.Kind.NULL);
            scalarDone();
        }
        return i;
    }

    /** Keeps {@code bytes[from, to)}, the part of a token in this piece, up to {@code limit} bytes in all. */
    private void keepPart(byte[] bytes, int from, int to, int limit) {
        int length = to - from;
        if (state == IN_STRING && !keepParts) {
            tokenLength += length;
            return;
        }
        int keep = (int) Math.min(length, Math.max(0, limit - captured));
        if (keep > 0) {
            if (captured + keep > capture.length) {
                capture = Arrays.copyOf(capture, Math.max(64, Math.max(captured + keep, capture.length * 2)));
            }
            System.arraycopy(bytes, from, capture, captured, keep);
            captured += keep;
        }
        tokenLength += length;
    }

    private MalformedJsonException syntax(String what, int i) {
        return new MalformedJsonException(Problem.SYNTAX, "not valid JSON: " + what, base + i);
    }

    private MalformedJsonException utf8(int i) {
        return new MalformedJsonException(Problem.UTF8, "a string that is not valid UTF-8", base + i);
    }
}
