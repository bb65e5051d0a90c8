package dev.tollgate.core.usage;

import java.util.Arrays;

/**
 * Finds the {@code data:} lines of one server-sent event (the bytes of its lines, each ending in
 * LF, CRLF or CR, the last one possibly without an end) and the JSON payload they carry, as index
 * ranges of the event's array. Reused from event to event by one parser; not thread-safe.
 *
 * <p>Per the SSE spec a payload spread over several {@code data:} lines is their values joined by
 * LF; since LF is JSON whitespace, feeding the values one by one with an LF between them parses the
 * same JSON without joining anything.
 */
final class SseDataLines {

    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

    /** Start and end (exclusive) of each data line's value: bounds[2i], bounds[2i + 1]. */
    private int[] bounds = new int[4];
    private int count;

    /** Scans the event {@code event[from, to)}; afterwards the accessors describe it. */
    void scan(byte[] event, int from, int to) {
        count = 0;
        int i = from;
        while (i < to) {
            int end = ByteScan.lineEnd(event, i, to);
            readLine(event, i, end);
            i = end + (end + 1 < to && event[end] == '\r' && event[end + 1] == '\n' ? 2 : 1);
        }
        trim(event);
    }

    /** Data lines left after trimming: 0 when the event carries no payload. */
    int count() {
        return count;
    }

    int start(int line) {
        return bounds[2 * line];
    }

    int end(int line) {
        return bounds[2 * line + 1];
    }

    /** Whether the payload is exactly {@code [DONE]} (surrounding whitespace aside). */
    boolean isDone(byte[] event) {
        if (count != 1 || end(0) - start(0) != DONE.length) {
            return false;
        }
        for (int i = 0; i < DONE.length; i++) {
            if (event[start(0) + i] != DONE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the trimmed payload starts with {@code '{'} and ends with {@code '}'}: a JSON object, perhaps. */
    boolean looksLikeObject(byte[] event) {
        return count > 0 && event[start(0)] == '{' && event[end(count - 1) - 1] == '}';
    }

    private void readLine(byte[] event, int start, int end) {
        // "data" then ':' (value follows, one leading space dropped) or the end of the line.
        if (end - start < 4 || event[start] != 'd' || event[start + 1] != 'a'
                || event[start + 2] != 't' || event[start + 3] != 'a') {
            return;
        }
        int value = start + 4;
        if (value < end) {
            if (event[value] != ':') {
                return;
            }
            value++;
            if (value < end && event[value] == ' ') {
                value++;
            }
        }
        if (2 * count + 2 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[2 * count] = value;
        bounds[2 * count + 1] = end;
        count++;
    }

    /** Drops blank leading and trailing lines, and whitespace around the payload. */
    private void trim(byte[] event) {
        int first = 0;
        while (first < count && isBlank(event, start(first), end(first))) {
            first++;
        }
        if (first == count) {
            count = 0;
            return;
        }
        int last = count - 1;
        while (isBlank(event, start(last), end(last))) {
            last--;
        }
        if (first > 0) {
            System.arraycopy(bounds, 2 * first, bounds, 0, 2 * (last - first + 1));
        }
        count = last - first + 1;
        int s = start(0);
        while (isWhitespace(event[s])) {
            s++;
        }
        bounds[0] = s;
        int e = end(count - 1);
        while (isWhitespace(event[e - 1])) {
            e--;
        }
        bounds[2 * count - 1] = e;
    }

    private static boolean isBlank(byte[] event, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!isWhitespace(event[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
