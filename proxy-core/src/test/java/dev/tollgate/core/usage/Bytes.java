package dev.tollgate.core.usage;

import java.io.ByteArrayOutputStream;

/** Test helper: byte arrays written as hex, and joined. */
final class Bytes {

    private Bytes() {}

    /** {@code "C3 A9"} as the two bytes it names. */
    static byte[] hex(String hex) {
        String[] parts = hex.split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
