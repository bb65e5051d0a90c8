package dev.tollgate.server.config;

import java.util.Objects;
import java.util.Set;

/**
 * The {@code ledger} section.
 *
 * @param sink one of {@link #SINKS}
 * @param path file of the {@code sqlite} or {@code jsonl} sink, relative to the working directory
 * @param retentionDays records older than this many days may be deleted, {@code >= 1}
 */
public record LedgerConfig(String sink, String path, int retentionDays) {

    public static final String SQLITE = "sqlite";
    public static final String JSONL = "jsonl";
    public static final String NONE = "none";
    /** The sinks this build knows. */
    public static final Set<String> SINKS = Set.of(SQLITE, JSONL, NONE);

    public LedgerConfig {
        Objects.requireNonNull(path, "path");
        if (!SINKS.contains(sink)) {
            throw new IllegalArgumentException("sink: '" + sink + "' (expected: sqlite, jsonl or none)");
        }
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retentionDays: " + retentionDays + " (expected: >= 1)");
        }
    }

    /** SQLite at {@code ./tollgate-ledger.db}, kept 400 days. */
    public static LedgerConfig defaults() {
        return new LedgerConfig(SQLITE, "./tollgate-ledger.db", 400);
    }
}
