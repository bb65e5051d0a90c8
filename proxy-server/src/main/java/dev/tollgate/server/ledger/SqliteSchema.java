package dev.tollgate.server.ledger;

import dev.tollgate.core.ledger.LedgerJson;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.TimeRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The ledger database: one SQLite file in WAL mode ({@code synchronous=NORMAL}: a power cut may lose the
 * last transactions, a killed process loses none). Tables:
 *
 * <pre>
 * ledger       one row per request, the CONTRACT §8 columns; ts_start/ts_end are UTC text with
 *              millisecond precision (2026-11-27T10:15:30.123Z, fixed width, so they sort and compare
 *              as text); tags is a JSON object; stream/estimated are 0/1; a duration not measured is NULL.
 *              Indexes: (ts_start), (tenant, ts_start); request_id is the primary key.
 * spend_daily  per (tenant, UTC day of ts_start): requests, the four token sums and cost_nano_usd,
 *              kept in the same transaction as the ledger rows, so that budgets rebuild a month's
 *              spend from a few hundred rows.
 * </pre>
 */
final class SqliteSchema {

    /** {@code PRAGMA user_version} of the schema this build writes. */
    static final int VERSION = 1;
    /** The first 16 bytes of every SQLite database file. */
    static final String MAGIC = "SQLite format 3\0";

    static final String COLUMNS = "request_id, ts_start, ts_end, tenant, tags, route, provider, endpoint, "
            + "model_requested, model_billed, stream, status_code, outcome, input_tokens, cached_input_tokens, "
            + "cache_write_tokens, output_tokens, estimated, cost_nano_usd, price_source, ttft_ms, duration_ms, upstream_ms";

    private static final String[] DDL = {
        """
        CREATE TABLE IF NOT EXISTS ledger (
            request_id TEXT NOT NULL PRIMARY KEY,
            ts_start TEXT NOT NULL,
            ts_end TEXT NOT NULL,
            tenant TEXT NOT NULL,
            tags TEXT NOT NULL,
            route TEXT NOT NULL,
            provider TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            model_requested TEXT,
            model_billed TEXT,
            stream INTEGER NOT NULL,
            status_code INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            cached_input_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            estimated INTEGER NOT NULL,
            cost_nano_usd INTEGER NOT NULL,
            price_source TEXT NOT NULL,
            ttft_ms INTEGER,
            duration_ms INTEGER NOT NULL,
            upstream_ms INTEGER)""",
        "CREATE INDEX IF NOT EXISTS ledger_ts_start ON ledger (ts_start)",
        "CREATE INDEX IF NOT EXISTS ledger_tenant_ts_start ON ledger (tenant, ts_start)",
        """
        CREATE TABLE IF NOT EXISTS spend_daily (
            tenant TEXT NOT NULL,
            day TEXT NOT NULL,
            requests INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            cached_input_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost_nano_usd INTEGER NOT NULL,
            PRIMARY KEY (tenant, day)) WITHOUT ROWID""",
    };

    private SqliteSchema() {}

    /** Opens the file for writing, creating it and the schema if needed. */
    static Connection openForWriting(Path path, Duration busyTimeout) throws IOException {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection(url(path), properties(busyTimeout, false));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                int version = userVersion(s);
                if (version > VERSION) {
                    throw new IOException(path + ": ledger schema version " + version + " (expected: at most "
                            + VERSION + "; written by a newer Tollgate)");
                }
                for (String ddl : DDL) {
                    s.execute(ddl);
                }
                s.execute("PRAGMA user_version=" + VERSION);
            } catch (SQLException | IOException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw new IOException(path + ": cannot open the SQLite ledger: " + e.getMessage(), e);
        }
    }

    /** Opens an existing ledger read-only; fails when it is not one. */
    static Connection openForReading(Path path, Duration busyTimeout) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such ledger file");
        }
        try {
            Connection c = DriverManager.getConnection(url(path), properties(busyTimeout, true));
            try (Statement s = c.createStatement();
                    ResultSet tables = s.executeQuery(
                            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('ledger', 'spend_daily')")) {
                if (!tables.next() || tables.getInt(1) != 2) {
                    throw new IOException(path + ": an SQLite file, but not a Tollgate ledger (no ledger table)");
                }
            } catch (SQLException | IOException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw new IOException(path + ": cannot read the SQLite ledger: " + e.getMessage(), e);
        }
    }

    /** A timestamp as stored: see {@link LedgerJson#formatInstant}. */
    static String timestamp(Instant t) {
        return LedgerJson.formatInstant(t);
    }

    /**
     * A range bound as stored text. Stored timestamps are whole milliseconds, so comparing them with the
     * bound rounded up to a millisecond gives the same answer as comparing with the exact bound.
     */
    static String bound(Instant t) {
        Instant ms = t.truncatedTo(ChronoUnit.MILLIS);
        return timestamp(ms.equals(t) ? ms : ms.plusMillis(1));
    }

    /** Whether {@code path} starts like an SQLite database. */
    static boolean looksLikeSqlite(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(MAGIC.length());
            return new String(head, StandardCharsets.ISO_8859_1).equals(MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code spend_daily.day} of a record: the UTC day of its start, {@code 2026-11-27}. */
    static String day(LedgerRecord r) {
        return TimeRange.day(r.tsStart()).toString();
    }

    private static String url(Path path) {
        return "jdbc:sqlite:" + path.toAbsolutePath();
    }

    private static Properties properties(Duration busyTimeout, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.setReadOnly(readOnly);
        return config.toProperties();
    }

    private static int userVersion(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
