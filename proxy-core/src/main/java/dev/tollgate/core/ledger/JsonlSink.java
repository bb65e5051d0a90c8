package dev.tollgate.core.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code ledger.sink: jsonl}; see {@link LedgerSink#jsonl}. Used by the writer thread only. */
final class JsonlSink implements LedgerSink {

    private final JsonlFiles files;
    private final Clock clock;
    private @Nullable FileChannel channel;
    private @Nullable Path channelPath;

    JsonlSink(JsonlFiles files, Clock clock) {
        this.files = files;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public void writeBatch(List<LedgerRecord> batch) throws IOException {
        FileChannel ch = channelFor(files.fileFor(TimeRange.day(clock.instant())));
        try {
            appendWhole(ch, encode(batch));
        } catch (IOException e) {
            closeChannel();
            throw e;
        }
    }

    /**
     * Appends {@code bytes} at the end of {@code ch}, all or nothing: when a write fails midway (disk
     * full), the partial lines are cut off again, so a retried batch is not half-duplicated.
     */
    static void appendWhole(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long start = ch.size();
        try {
            ch.position(start);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
        } catch (IOException e) {
            try {
                ch.truncate(start);
            } catch (IOException truncateFailure) {
                e.addSuppressed(truncateFailure);
            }
            throw e;
        }
    }

    @Override
    public void prune(Instant cutoff) throws IOException {
        // A day's file holds records that started on that day or earlier: delete it once the day is gone.
        LocalDate firstKept = TimeRange.day(cutoff);
        for (Map.Entry<LocalDate, Path> file : files.list().headMap(firstKept, false).entrySet()) {
            if (file.getValue().equals(channelPath)) {
                closeChannel();
            }
            Files.deleteIfExists(file.getValue());
        }
    }

    @Override
    public void close() throws IOException {
        FileChannel ch = channel;
        if (ch != null) {
            try {
                ch.force(true);
            } finally {
                closeChannel();
            }
        }
    }

    private FileChannel channelFor(Path path) throws IOException {
        FileChannel ch = channel;
        // Reopen when the day changed, and when someone moved or deleted the file (a rotation tool):
        // writes to an unlinked file would be lost without an error.
        if (ch != null && path.equals(channelPath) && Files.exists(path)) {
            return ch;
        }
        closeChannel();
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel = ch;
        channelPath = path;
        return ch;
    }

    private void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        channelPath = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Nothing was pending: FileChannel writes are unbuffered.
            }
        }
    }

    static byte[] encode(List<LedgerRecord> batch) {
        StringBuilder text = new StringBuilder(batch.size() * 600);
        for (LedgerRecord r : batch) {
            text.append(LedgerJson.write(r)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
