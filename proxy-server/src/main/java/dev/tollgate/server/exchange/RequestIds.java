package dev.tollgate.server.exchange;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids are ULIDs: 26 Crockford base32 characters, time-ordered (48-bit milliseconds, then 80
 * random bits), so ledger records sort by id and a client can pass its own valid id in
 * {@code X-Tollgate-Request-Id}.
 */
public final class RequestIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int LENGTH = 26;

    private RequestIds() {}

    /** A new id for a request that started at {@code epochMillis}. */
    public static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hi = random.nextLong() & 0xFFFFL; // 16 random bits after the 48-bit time
        long lo = random.nextLong();           // 64 random bits
        char[] out = new char[LENGTH];
        // 128 bits = time(48) | hi(16) | lo(64), written 5 bits at a time from the least significant end.
        long upper = (epochMillis << 16) | hi;
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | (upper << 59);
            upper >>>= 5;
        }
        return new String(out);
    }

    /** Whether a client-supplied id has the ULID form (26 Crockford base32 characters, first 0-7). */
    public static boolean isValid(CharSequence id) {
        if (id.length() != LENGTH || id.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = Character.toUpperCase(id.charAt(i));
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U'))) {
                return false;
            }
        }
        return true;
    }
}
