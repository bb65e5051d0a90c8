package dev.tollgate.core.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Reads a {@code jsonl} ledger; see {@link LedgerReader#jsonl}. */
final class JsonlReader implements LedgerReader {

    private final JsonlFiles files;
    private final Consumer<String> warnings;

    JsonlReader(JsonlFiles files, Consumer<String> warnings) {
        this.files = files;
        this.warnings = warnings;
    }

    @Override
    public void scan(TimeRange range, Consumer<LedgerRecord> action) throws IOException {
        // A record is written at or after its start, so no file dated before the range's first day
        // holds one of its records; later files may, when a spill was replayed late.
        List<Path> paths = new ArrayList<>(files.list().tailMap(TimeRange.day(range.from()), true).values());
        for (Path p : withBase(paths)) {
            read(p, line -> true, r -> {
                if (range.contains(r.tsStart())) {
                    action.accept(r);
                }
                return true;
            });
        }
    }

    @Override
    public Optional<LedgerRecord> find(String requestId) throws IOException {
        LedgerRecord[] found = new LedgerRecord[1];
        for (Path p : withBase(new ArrayList<>(files.list().descendingMap().values()))) {
            read(p, line -> line.contains(requestId), r -> {
                if (r.requestId().equals(requestId)) {
                    found[0] = r;
                    return false;
                }
                return true;
            });
            if (found[0] != null) {
                return Optional.of(found[0]);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {}

    private List<Path> withBase(List<Path> paths) {
        if (Files.isRegularFile(files.base())) {
            paths.add(files.base());
        }
        return paths;
    }

    /** Reads until {@code action} returns false; lines failing {@code prefilter} are not parsed. */
    private void read(Path file, Predicate<String> prefilter, Predicate<LedgerRecord> action) throws IOException {
        // An InputStreamReader replaces malformed bytes (a line torn by a crash) instead of failing the whole read.
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
            long lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank() || !prefilter.test(line)) {
                    continue;
                }
                LedgerRecord r;
                try {
                    r = LedgerJson.read(line);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    warnings.accept(file + ":" + lineNumber + ": skipped: " + e.getMessage());
                    continue;
                }
                if (!action.test(r)) {
                    return;
                }
            }
        }
    }
}
