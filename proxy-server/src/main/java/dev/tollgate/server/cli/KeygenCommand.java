package dev.tollgate.server.cli;

import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.core.tenant.TenantId;
import java.io.PrintStream;
import java.security.SecureRandom;

/**
 * {@code keygen --tenant ID}: prints a new virtual key and the line that goes under the tenant in the config.
 * <pre>
 * key: tg-...
 * keys: ["sha256:..."]   # tenant acme
 * </pre>
 * The key is shown once and stored nowhere; only its hash belongs in the config.
 */
final class KeygenCommand {

    private final PrintStream out;
    private final PrintStream err;
    private final SecureRandom random;

    KeygenCommand(PrintStream out, PrintStream err, SecureRandom random) {
        this.out = out;
        this.err = err;
        this.random = random;
    }

    int run(Options options) {
        String tenant = options.require("tenant", "keygen");
        if (!TenantId.isValid(tenant)) {
            throw new UsageException("--tenant '" + tenant
                    + "' (expected: 1-64 of letters, digits, '.', '_', '-', starting with a letter or digit)");
        }
        String key = KeyHash.newKey(random);
        out.println("key: " + key);
        out.println("keys: [\"" + KeyHash.of(key) + "\"]   # tenant " + tenant);
        err.println("Give the key to tenant " + tenant + "; it is not stored anywhere."
                + " Add the hash to the tenant's keys under tenants.list.");
        return ExitCode.OK;
    }
}
