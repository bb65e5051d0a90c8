package dev.tollgate.server.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.LedgerSink;
import dev.tollgate.core.ledger.TimeRange;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code ledger.sink: sqlite}, the embedded default: one SQLite file in WAL mode (schema in
 * {@link SqliteSchema}). Each batch is one transaction that inserts the records and adds them to
 * {@code spend_daily}; a record whose {@code request_id} is already stored is ignored and not counted
 * again, so a batch replayed after a crash does no harm. When the file is locked by another process for
 * longer than the busy timeout, or the disk is full, the transaction is rolled back and the batch fails
 * whole, for {@code LedgerWriter} to spill and replay.
 *
 * <pre>{@code
 * LedgerSink sink = new SqliteLedgerSink(Path.of("./tollgate-ledger.db"));
 * }</pre>
 *
 * <p>Not thread-safe: the ledger writer's thread only.
 */
public final class SqliteLedgerSink implements LedgerSink {

    /** How long a write waits for another connection's lock before the batch fails. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = "INSERT OR IGNORE INTO ledger (" + SqliteSchema.COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ADD_DAILY = """
            INSERT INTO spend_daily (tenant, day, requests, input_tokens, cached_input_tokens, cache_write_tokens,
                                     output_tokens, cost_nano_usd)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant, day) DO UPDATE SET
                requests = requests + excluded.requests,
                input_tokens = input_tokens + excluded.input_tokens,
                cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
                cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
                output_tokens = output_tokens + excluded.output_tokens,
                cost_nano_usd = cost_nano_usd + excluded.cost_nano_usd""";

    private final Path path;
    private final Duration busyTimeout;
    private @Nullable Connection connection;

    /** Opens (creating if needed) the ledger at {@code path}, with {@link #DEFAULT_BUSY_TIMEOUT}. */
    public SqliteLedgerSink(Path path) throws IOException {
        this(path, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens (creating if needed) the ledger at {@code path}.
     *
     * @throws IOException naming the path, when it cannot be opened or its schema is newer than this build's
     */
    public SqliteLedgerSink(Path path, Duration busyTimeout) throws IOException {
        this.path = path;
        this.busyTimeout = busyTimeout;
        this.connection = SqliteSchema.openForWriting(path, busyTimeout);
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public void writeBatch(List<LedgerRecord> batch) throws IOException {
        Connection c = connection();
        try {
            c.setAutoCommit(false);
            int[] inserted;
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (LedgerRecord r : batch) {
                    bind(insert, r);
                    insert.addBatch();
                }
                inserted = insert.executeBatch();
            }
            Map<List<String>, long[]> daily = dailySums(batch, inserted);
            try (PreparedStatement add = c.prepareStatement(ADD_DAILY)) {
                for (Map.Entry<List<String>, long[]> e : daily.entrySet()) {
                    add.setString(1, e.getKey().get(0));
                    add.setString(2, e.getKey().get(1));
                    for (int i = 0; i < 6; i++) {
                        add.setLong(3 + i, e.getValue()[i]);
                    }
                    add.addBatch();
                }
                add.executeBatch();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw new IOException(path + ": writing " + batch.size() + " ledger records failed: " + e.getMessage(), e);
        }
    }

    /** Deletes records that started before {@code cutoff}, and the daily sums of the days before its day. */
    @Override
    public void prune(Instant cutoff) throws IOException {
        Connection c = connection();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement records = c.prepareStatement("DELETE FROM ledger WHERE ts_start < ?");
                    PreparedStatement days = c.prepareStatement("DELETE FROM spend_daily WHERE day < ?")) {
                records.setString(1, SqliteSchema.bound(cutoff));
                records.executeUpdate();
                days.setString(1, TimeRange.day(cutoff).toString());
                days.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            rollback(c, e);
            throw new IOException(path + ": pruning ledger records before " + cutoff + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close(); // the last connection to close checkpoints the WAL into the main file
            } catch (SQLException e) {
                throw new IOException(path + ": closing the SQLite ledger failed: " + e.getMessage(), e);
            }
        }
    }

    private Connection connection() throws IOException {
        Connection c = connection;
        if (c == null) {
            // Closed after a failed rollback, or by close(): a new connection starts clean.
            c = SqliteSchema.openForWriting(path, busyTimeout);
            connection = c;
        }
        return c;
    }

    private void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            // The connection's state is unknown: drop it, and open a new one for the next batch.
            connection = null;
            try {
                c.close();
            } catch (SQLException closeFailure) {
                cause.addSuppressed(closeFailure);
            }
        }
    }

    /** Per (tenant, day): requests, the four token sums and the cost of the records actually inserted. */
    private static Map<List<String>, long[]> dailySums(List<LedgerRecord> batch, int[] inserted) {
        Map<List<String>, long[]> daily = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            // 0 rows changed: INSERT OR IGNORE met a request_id already stored (a replay): not counted again.
            if (inserted[i] != 1) {
                continue;
            }
            LedgerRecord r = batch.get(i);
            long[] sum = daily.computeIfAbsent(List.of(r.tenant(), SqliteSchema.day(r)), k -> new long[6]);
            sum[0]++;
            sum[1] += r.inputTokens();
            sum[2] += r.cachedInputTokens();
            sum[3] += r.cacheWriteTokens();
            sum[4] += r.outputTokens();
            sum[5] = Math.addExact(sum[5], r.costNanoUsd());
        }
        return daily;
    }

    private static void bind(PreparedStatement s, LedgerRecord r) throws SQLException {
        s.setString(1, r.requestId());
        s.setString(2, SqliteSchema.timestamp(r.tsStart()));
        s.setString(3, SqliteSchema.timestamp(r.tsEnd()));
        s.setString(4, r.tenant());
        s.setString(5, tags(r.tags()));
        s.setString(6, r.route());
        s.setString(7, r.provider());
        s.setString(8, r.endpoint());
        setNullable(s, 9, r.modelRequested());
        setNullable(s, 10, r.modelBilled());
        s.setInt(11, r.stream() ? 1 : 0);
        s.setInt(12, r.statusCode());
        s.setString(13, r.outcome());
        s.setLong(14, r.inputTokens());
        s.setLong(15, r.cachedInputTokens());
        s.setLong(16, r.cacheWriteTokens());
        s.setLong(17, r.outputTokens());
        s.setInt(18, r.estimated() ? 1 : 0);
        s.setLong(19, r.costNanoUsd());
        s.setString(20, r.priceSource());
        setDuration(s, 21, r.ttftMs());
        s.setLong(22, r.durationMs());
        setDuration(s, 23, r.upstreamMs());
    }

    private static void setNullable(PreparedStatement s, int index, @Nullable String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private static void setDuration(PreparedStatement s, int index, long millis) throws SQLException {
        if (millis < 0) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setLong(index, millis);
        }
    }

    static String tags(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
