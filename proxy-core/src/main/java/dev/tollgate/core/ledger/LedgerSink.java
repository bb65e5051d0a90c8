package dev.tollgate.core.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Where ledger records are stored durably ({@code ledger.sink} in the config). Only
 * {@link LedgerWriter}'s thread calls a sink, one call at a time, so implementations need not be
 * thread-safe; they may block (disk, database) but should fail rather than wait for long.
 *
 * <p>A failed {@link #writeBatch} must leave the sink as if the batch had not been offered, as far as it
 * can (a database rolls back, a file is truncated back): the writer spills the whole batch and offers it
 * again later. Sinks that can should ignore a record whose {@code request_id} they already hold, so that a
 * batch replayed after a crash is not counted twice.
 *
 * <pre>{@code
 * LedgerSink sink = switch (config.sink()) {
 *     case "jsonl" -> LedgerSink.jsonl(Path.of(config.path()), Clock.systemUTC());
 *     case "sqlite" -> new SqliteLedgerSink(Path.of(config.path()));   // proxy-server
 *     default -> LedgerSink.none();
 * };
 * }</pre>
 */
public interface LedgerSink extends Closeable {

    /** The {@code sink} label of {@code tollgate_ledger_records_total} and {@code tollgate_ledger_errors_total}. */
    String name();

    /**
     * Stores a batch, all of it or (as far as the sink can tell) none of it.
     *
     * @param batch records in arrival order; never empty; owned by the caller, not to be kept
     * @throws IOException when the batch could not be stored; the writer will offer it again
     */
    void writeBatch(List<LedgerRecord> batch) throws IOException;

    /**
     * Deletes every record whose {@code ts_start} is before {@code cutoff} (retention). A sink may keep
     * records a little longer when it stores them in coarser units (a day's file). Does nothing by default.
     */
    default void prune(Instant cutoff) throws IOException {}

    /** Flushes and releases the sink. The writer closes it after its last batch. */
    @Override
    void close() throws IOException;

    /** {@code ledger.sink: none}: every record is counted as written and then forgotten. */
    static LedgerSink none() {
        return new NoneSink();
    }

    /**
     * {@code ledger.sink: jsonl}: one JSON object per line ({@link LedgerJson}), in one file per UTC day
     * of writing. A configured path {@code /var/log/tollgate/ledger.jsonl} gives the files
     * {@code /var/log/tollgate/ledger-2026-11-27.jsonl}, {@code ledger-2026-11-28.jsonl} and so on (the
     * extension, if any, is kept after the date); the day is the {@code clock}'s when the batch is written,
     * so a file holds no record that started after its day ended. Only one process may write to the files.
     */
    static LedgerSink jsonl(Path path, Clock clock) {
        return new JsonlSink(new JsonlFiles(path), clock);
    }
}
