package dev.tollgate.server.ledger;

import dev.tollgate.core.ledger.LedgerReader;
import dev.tollgate.core.ledger.LedgerSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Opens the ledger that {@code ledger:} in the config or {@code report --ledger} names.
 *
 * <pre>{@code
 * LedgerSink sink = Ledgers.openSink(config.ledger().sink(), Path.of(config.ledger().path()), clock);
 * try (LedgerReader reader = Ledgers.openReader(Path.of(ledgerArg), err::println)) { ... }
 * }</pre>
 */
public final class Ledgers {

    private static final Set<String> SQLITE_EXTENSIONS = Set.of(".db", ".sqlite", ".sqlite3");

    private Ledgers() {}

    /**
     * The sink {@code ledger.sink} names: {@code sqlite}, {@code jsonl} or {@code none}.
     *
     * @throws IOException when the SQLite file cannot be opened, naming it
     * @throws IllegalArgumentException for another sink name
     */
    public static LedgerSink openSink(String sink, Path path, Clock clock) throws IOException {
        return switch (sink) {
            case "sqlite" -> new SqliteLedgerSink(path);
            case "jsonl" -> LedgerSink.jsonl(path, clock);
            case "none" -> LedgerSink.none();
            default -> throw new IllegalArgumentException("ledger.sink: '" + sink + "' (expected: sqlite, jsonl or none)");
        };
    }

    /**
     * A reader for the ledger at {@code path}: SQLite when the file starts with SQLite's header, or when it
     * does not exist and its name ends in {@code .db}, {@code .sqlite} or {@code .sqlite3}; otherwise a
     * {@code jsonl} ledger, i.e. {@code path}'s daily files and {@code path} itself if it is a file.
     *
     * @param warnings told about unreadable jsonl lines, which are skipped
     * @throws IOException naming the path when there is no ledger there
     */
    public static LedgerReader openReader(Path path, Consumer<String> warnings) throws IOException {
        if (SqliteSchema.looksLikeSqlite(path) || (!Files.exists(path) && hasSqliteExtension(path))) {
            return new SqliteLedgerReader(path);
        }
        if (Files.isDirectory(path)) {
            throw new IOException(path + ": a directory (expected: the ledger.path of the config)");
        }
        if (LedgerReader.jsonlFiles(path).isEmpty()) {
            throw new IOException(path + ": no ledger there (expected: an SQLite ledger file, or a jsonl ledger's"
                    + " path whose daily files are named like " + dailyExample(path) + ")");
        }
        return LedgerReader.jsonl(path, warnings);
    }

    private static boolean hasSqliteExtension(Path path) {
        String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && SQLITE_EXTENSIONS.contains(name.substring(dot));
    }

    private static String dailyExample(Path path) {
        String name = String.valueOf(path.getFileName());
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "-2026-11-27" + name.substring(dot) : name + "-2026-11-27.jsonl";
    }
}
