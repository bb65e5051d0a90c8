package dev.tollgate.server.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.ledger.DailySpend;
import dev.tollgate.core.ledger.LedgerJson;
import dev.tollgate.core.ledger.LedgerReader;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.TimeRange;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads an SQLite ledger ({@link SqliteLedgerSink}) through its own read-only connection, so that reports
 * and the admin API can read while the server writes (WAL mode lets readers and the writer proceed
 * together). {@link #dailySpend} answers from the {@code spend_daily} table without touching the records.
 *
 * <pre>{@code
 * try (LedgerReader reader = new SqliteLedgerReader(Path.of("tollgate-ledger.db"))) {
 *     List<DailySpend> month = reader.dailySpend(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-12-01"));
 * }
 * }</pre>
 *
 * <p>Thread-safe: calls are serialised on the one connection (a JDBC connection is not
 * thread-safe). Readers serve reports, the admin executor and start-up, never the request path, so
 * the monitor costs nothing there.
 */
public final class SqliteLedgerReader implements LedgerReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {};
    private static final int FETCH_SIZE = 1_000;

    private final Path path;
    private final Connection connection;

    /**
     * Opens an existing ledger.
     *
     * @throws IOException naming the path when it does not exist or is not a Tollgate ledger
     */
    public SqliteLedgerReader(Path path) throws IOException {
        this.path = path;
        this.connection = SqliteSchema.openForReading(path, SqliteLedgerSink.DEFAULT_BUSY_TIMEOUT);
    }

    @Override
    public synchronized void scan(TimeRange range, Consumer<LedgerRecord> action) throws IOException {
        String sql = "SELECT " + SqliteSchema.COLUMNS + " FROM ledger WHERE ts_start >= ? AND ts_start < ?";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, SqliteSchema.bound(range.from()));
            s.setString(2, SqliteSchema.bound(range.to()));
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    action.accept(record(rs));
                }
            }
        } catch (SQLException e) {
            throw failure("reading records", e);
        }
    }

    @Override
    public synchronized Optional<LedgerRecord> find(String requestId) throws IOException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT " + SqliteSchema.COLUMNS + " FROM ledger WHERE request_id = ?")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("finding a record", e);
        }
    }

    /** From {@code spend_daily}: a month is a few hundred rows, however many records it holds. */
    @Override
    public synchronized List<DailySpend> dailySpend(LocalDate from, LocalDate toExclusive) throws IOException {
        try (PreparedStatement s = connection.prepareStatement("SELECT tenant, day, requests, cost_nano_usd FROM spend_daily"
                + " WHERE day >= ? AND day < ? ORDER BY day, tenant")) {
            s.setString(1, from.toString());
            s.setString(2, toExclusive.toString());
            List<DailySpend> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new DailySpend(rs.getString(1), LocalDate.parse(rs.getString(2)), rs.getLong(3), rs.getLong(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading daily spend", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("closing", e);
        }
    }

    private static LedgerRecord record(ResultSet rs) throws SQLException {
        return new LedgerRecord(
                rs.getString("request_id"),
                LedgerJson.parseInstant(rs.getString("ts_start")),
                LedgerJson.parseInstant(rs.getString("ts_end")),
                rs.getString("tenant"),
                tags(rs.getString("tags")),
                rs.getString("route"),
                rs.getString("provider"),
                rs.getString("endpoint"),
                rs.getString("model_requested"),
                rs.getString("model_billed"),
                rs.getInt("stream") != 0,
                rs.getInt("status_code"),
                rs.getString("outcome"),
                rs.getLong("input_tokens"),
                rs.getLong("cached_input_tokens"),
                rs.getLong("cache_write_tokens"),
                rs.getLong("output_tokens"),
                rs.getInt("estimated") != 0,
                rs.getLong("cost_nano_usd"),
                rs.getString("price_source"),
                duration(rs, "ttft_ms"),
                rs.getLong("duration_ms"),
                duration(rs, "upstream_ms"));
    }

    private static long duration(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? LedgerRecord.ABSENT : value;
    }

    private static Map<String, String> tags(String json) throws SQLException {
        try {
            return JSON.readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("tags: not a JSON object of strings: " + json, e);
        }
    }

    private IOException failure(String what, SQLException e) {
        return new IOException(path + ": " + what + " failed: " + e.getMessage(), e);
    }
}
