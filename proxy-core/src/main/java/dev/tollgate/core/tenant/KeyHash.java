package dev.tollgate.core.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Virtual keys and their stored form. A key is {@code tg-} followed by 32 random bytes in URL-safe
 * Base64; config holds only {@code sha256:<lowercase hex of the whole key string>}, so a leaked
 * config leaks no key.
 */
public final class KeyHash {

    /** Prefix of every virtual key Tollgate issues. */
    public static final String KEY_PREFIX = "tg-";
    /** Prefix of a stored key hash in config. */
    public static final String HASH_PREFIX = "sha256:";

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(KeyHash::newSha256);

    private KeyHash() {}

    /** {@code sha256:<hex>} of a key string, prefix included. */
    public static String of(String key) {
        MessageDigest digest = SHA256.get();
        byte[] hash = digest.digest(key.getBytes(StandardCharsets.UTF_8));
        return HASH_PREFIX + HEX.formatHex(hash);
    }

    /** A fresh random virtual key. */
    public static String newKey(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code stored} has the config form {@code sha256:} + 64 lowercase hex digits. */
    public static boolean isWellFormed(String stored) {
        if (!stored.startsWith(HASH_PREFIX) || stored.length() != HASH_PREFIX.length() + 64) {
            return false;
        }
        for (int i = HASH_PREFIX.length(); i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
