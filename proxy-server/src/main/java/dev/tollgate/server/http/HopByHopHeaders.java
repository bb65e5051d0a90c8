package dev.tollgate.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1):
 * a proxy must not forward them.
 */
public final class HopByHopHeaders {

    private static final List<AsciiString> ALWAYS = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE);

    private HopByHopHeaders() {}

    /**
     * Removes hop-by-hop headers, including every header that {@code Connection} names. Leaves
     * {@code Transfer-Encoding} alone: the codec re-frames bodies and callers decide about it.
     */
    public static void strip(HttpHeaders headers) {
        for (String name : namedByConnection(headers)) {
            headers.remove(name);
        }
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
    }

    /**
     * The names that {@code Connection} lists, less those removed anyway. The usual value,
     * {@code keep-alive}, leaves none, and then nothing is allocated. Collected before any removal:
     * the headers must not change under their own iterator.
     */
    private static List<String> namedByConnection(HttpHeaders headers) {
        List<String> names = List.of();
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
        while (values.hasNext()) {
            CharSequence value = values.next();
            int start = 0;
            while (start <= value.length()) {
                int end = indexOf(value, ',', start);
                // Trimmed as String.trim does: every char up to ' '.
                int first = start;
                int last = end;
                while (first < last && value.charAt(first) <= ' ') {
                    first++;
                }
                while (last > first && value.charAt(last - 1) <= ' ') {
                    last--;
                }
                if (first < last && !isAlwaysRemoved(value, first, last)) {
                    if (names.isEmpty()) {
                        names = new ArrayList<>(2);
                    }
                    names.add(value.subSequence(first, last).toString());
                }
                start = end + 1;
            }
        }
        return names;
    }

    private static boolean isAlwaysRemoved(CharSequence value, int start, int end) {
        for (AsciiString name : ALWAYS) {
            if (name.length() == end - start && AsciiString.regionMatches(value, true, start, name, 0, name.length())) {
                return true;
            }
        }
        return false;
    }

    /** The index of {@code c} in {@code s} from {@code from}, or {@code s.length()} when there is none. */
    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return s.length();
    }
}
