package dev.tollgate.core.ledger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Names the daily files of a {@code jsonl} ledger: configured path {@code dir/ledger.jsonl} gives
 * {@code dir/ledger-2026-11-27.jsonl}; a path without an extension gets {@code .jsonl}.
 */
final class JsonlFiles {

    private static final int DATE_LENGTH = "2026-11-27".length();

    private final Path base;
    private final Path dir;
    private final String stem;
    private final String extension;

    JsonlFiles(Path base) {
        Path name = base.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("ledger.path: '" + base + "' (expected: a file name)");
        }
        this.base = base;
        this.dir = base.toAbsolutePath().getParent();
        String file = name.toString();
        int dot = file.lastIndexOf('.');
        this.stem = dot > 0 ? file.substring(0, dot) : file;
        this.extension = dot > 0 ? file.substring(dot) : ".jsonl";
    }

    /** The configured path itself; read when it exists, never written. */
    Path base() {
        return base;
    }

    /** The file that records written on {@code day} (UTC) go to. */
    Path fileFor(LocalDate day) {
        return dir.resolve(stem + "-" + day + extension);
    }

    /** Every existing daily file, by day. */
    NavigableMap<LocalDate, Path> list() throws IOException {
        NavigableMap<LocalDate, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, stem + "-*" + extension)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.length() != stem.length() + 1 + DATE_LENGTH + extension.length()) {
                    continue;
                }
                try {
                    files.put(LocalDate.parse(name.substring(stem.length() + 1, stem.length() + 1 + DATE_LENGTH)), p);
                } catch (DateTimeException e) {
                    // Another file that merely shares the stem: not ours.
                }
            }
        } catch (NoSuchFileException e) {
            return files;
        }
        return files;
    }
}
