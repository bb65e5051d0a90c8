package dev.tollgate.core.tenant;

import java.util.regex.Pattern;

/** A tenant's id as configured: the {@code tenant} metric label and ledger field. */
public record TenantId(String value) {

    // Before the constants below: their constructor calls use it, and static fields initialise in order.
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Requests with no resolved tenant are labelled this in metrics. */
    public static final TenantId UNKNOWN = new TenantId("unknown");
    /** Where {@code tenants.unknown: attribute} sends requests of unknown tenants. */
    public static final TenantId UNATTRIBUTED = new TenantId("unattributed");

    public TenantId {
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "tenant id: '" + value + "' (expected: 1-64 of letters, digits, '.', '_', '-')");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    /** Whether {@code value} would make a valid id; for untrusted header input. */
    public static boolean isValid(String value) {
        return VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
