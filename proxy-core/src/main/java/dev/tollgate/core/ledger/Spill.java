package dev.tollgate.core.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The spill directory: records waiting for the sink, oldest first, in append-only JSONL segment files
 * {@code spill-<seq>.jsonl}. Records are appended to the newest segment and replayed from the oldest;
 * a segment being replayed has its progress in {@code spill-<seq>.pos} (a byte offset), so a restart
 * replays at most one batch twice. A segment is deleted once all of it reached the sink. Lines that
 * cannot be parsed are moved to {@code corrupt.jsonl} in the same directory, never dropped unseen.
 *
 * <p>Used by the writer thread only.
 */
final class Spill implements Closeable {

    private static final String PREFIX = "spill-";
    private static final String SUFFIX = ".jsonl";
    private static final String POSITION_SUFFIX = ".pos";
    static final String CORRUPT_FILE = "corrupt.jsonl";

    private final Path dir;
    private final long segmentBytes;
    private final Consumer<String> problems;
    private final ArrayDeque<Path> segments = new ArrayDeque<>();
    private long nextSeq;
    private @Nullable FileChannel active;
    private @Nullable Path activePath;
    private @Nullable Loaded loaded;

    /**
     * Opens a spill directory, finding the segments a previous run left.
     *
     * @param problems told about each line moved to {@code corrupt.jsonl}, and each segment that vanished
     */
    Spill(Path dir, long segmentBytes, Consumer<String> problems) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.problems = problems;
        TreeMap<Long, Path> existing = listSegments(dir);
        segments.addAll(existing.values());
        nextSeq = existing.isEmpty() ? 1 : existing.lastKey() + 1;
    }

    /** Whether any record waits here. */
    boolean hasPending() {
        return !segments.isEmpty();
    }

    /** Appends a batch to the newest segment; on failure nothing of it remains. */
    void append(List<LedgerRecord> batch) throws IOException {
        FileChannel ch = active;
        Path current = activePath;
        if (ch != null && current != null && !Files.exists(current)) {
            // Deleted by hand while open: appends to the unlinked file would vanish with it. next() reports it.
            closeActive();
            ch = null;
        }
        if (ch == null) {
            Files.createDirectories(dir);
            Path path = dir.resolve(segmentName(nextSeq));
            ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            nextSeq++;
            active = ch;
            activePath = path;
            segments.addLast(path);
        }
        try {
            JsonlSink.appendWhole(ch, JsonlSink.encode(batch));
        } catch (IOException e) {
            closeActive();
            throw e;
        }
        if (ch.size() >= segmentBytes) {
            closeActive();
        }
    }

    /**
     * Up to {@code max} of the oldest waiting records, without removing them: {@link #commit} does that
     * once the sink took them. Call only when {@link #hasPending()}.
     */
    Chunk next(int max) throws IOException {
        Path oldest = segments.getFirst();
        if (oldest.equals(activePath)) {
            // Replay reads a segment whole: new records go to a fresh one from now on.
            closeActive();
        }
        Loaded l = loaded;
        if (l == null || !l.path.equals(oldest)) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(oldest);
            } catch (NoSuchFileException e) {
                // Deleted by hand: nothing to replay, and waiting for it would block the spill for good.
                segments.removeFirst();
                problems.accept(oldest.getFileName() + ": segment vanished before it was replayed");
                return new Chunk(oldest, List.of(), 0, true, false);
            }
            int position = readPosition(oldest);
            // A position past the end cannot be ours: replay it all (duplicates are ignored, losses are not).
            l = new Loaded(oldest, bytes, position <= bytes.length ? position : 0);
            loaded = l;
        }
        List<LedgerRecord> records = new ArrayList<>(Math.min(max, 1024));
        int offset = l.offset;
        while (records.size() < max && offset < l.bytes.length) {
            int end = indexOf(l.bytes, (byte) '\n', offset);
            int next = end < 0 ? l.bytes.length : end + 1;
            String line = new String(l.bytes, offset, (end < 0 ? l.bytes.length : end) - offset, StandardCharsets.UTF_8);
            if (!line.isBlank()) {
                try {
                    records.add(LedgerJson.read(line));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    quarantine(line, oldest.getFileName() + " byte " + offset + ": " + e.getMessage());
                }
            }
            offset = next;
        }
        return new Chunk(oldest, records, offset, offset >= l.bytes.length, true);
    }

    /**
     * Forgets a chunk the sink stored. The in-memory position always advances, so this run never replays
     * it again; a failure to record that on disk is thrown, to be counted, and may replay it after a restart.
     */
    void commit(Chunk chunk) throws IOException {
        if (!chunk.exists) {
            return; // already forgotten by next()
        }
        Loaded l = loaded;
        if (l == null || !l.path.equals(chunk.segment)) {
            throw new IllegalStateException("commit of " + chunk.segment + " (expected: the chunk last read)");
        }
        l.offset = chunk.endOffset;
        if (chunk.endOfSegment) {
            segments.removeFirst();
            loaded = null;
            Files.deleteIfExists(chunk.segment);
            Files.deleteIfExists(positionFile(chunk.segment));
        } else {
            Path tmp = dir.resolve(chunk.segment.getFileName() + POSITION_SUFFIX + ".tmp");
            Files.writeString(tmp, Integer.toString(chunk.endOffset));
            Files.move(tmp, positionFile(chunk.segment), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() throws IOException {
        FileChannel ch = active;
        if (ch != null) {
            try {
                ch.force(true);
            } finally {
                closeActive();
            }
        }
    }

    /** Calls {@code action} for every record waiting in {@code dir}, oldest first; unparseable lines are skipped. */
    static void readAll(Path dir, Consumer<LedgerRecord> action) throws IOException {
        for (Path segment : listSegments(dir).values()) {
            byte[] bytes = Files.readAllBytes(segment);
            int offset = readPosition(segment);
            if (offset > bytes.length) {
                offset = 0;
            }
            while (offset < bytes.length) {
                int end = indexOf(bytes, (byte) '\n', offset);
                int stop = end < 0 ? bytes.length : end;
                String line = new String(bytes, offset, stop - offset, StandardCharsets.UTF_8);
                if (!line.isBlank()) {
                    try {
                        action.accept(LedgerJson.read(line));
                    } catch (IllegalArgumentException | ArithmeticException e) {
                        // Replay moves it to corrupt.jsonl; a reader just passes over it.
                    }
                }
                offset = stop + 1;
            }
        }
    }

    private void quarantine(String line, String why) {
        try {
            Files.writeString(dir.resolve(CORRUPT_FILE), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            problems.accept(why + " (moved to " + dir.resolve(CORRUPT_FILE) + ")");
        } catch (IOException e) {
            problems.accept(why + " (could not be moved to " + CORRUPT_FILE + ": " + e.getMessage() + ")");
        }
    }

    private void closeActive() {
        FileChannel ch = active;
        active = null;
        activePath = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Nothing was pending: FileChannel writes are unbuffered.
            }
        }
    }

    private static TreeMap<Long, Path> listSegments(Path dir) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                try {
                    found.put(Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length())), p);
                } catch (NumberFormatException e) {
                    // Not a segment of ours.
                }
            }
        } catch (NoSuchFileException e) {
            return found;
        }
        return found;
    }

    private static int readPosition(Path segment) throws IOException {
        Path pos = positionFile(segment);
        if (!Files.exists(pos)) {
            return 0;
        }
        try {
            return Integer.parseInt(Files.readString(pos).trim());
        } catch (NumberFormatException e) {
            return 0; // replaying from the start duplicates, which idempotent sinks absorb; skipping could lose
        }
    }

    private static Path positionFile(Path segment) {
        String name = segment.getFileName().toString();
        return segment.resolveSibling(name.substring(0, name.length() - SUFFIX.length()) + POSITION_SUFFIX);
    }

    private static String segmentName(long seq) {
        return PREFIX + String.format("%019d", seq) + SUFFIX;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Records read from one segment, and where the next read starts. */
    record Chunk(Path segment, List<LedgerRecord> records, int endOffset, boolean endOfSegment, boolean exists) {}

    /** The segment being replayed, held in memory (segments are small: see the writer's segment size). */
    private static final class Loaded {
        final Path path;
        final byte[] bytes;
        int offset;

        Loaded(Path path, byte[] bytes, int offset) {
            this.path = path;
            this.bytes = bytes;
            this.offset = offset;
        }
    }
}
