package dev.tollgate.server.cli;

import dev.tollgate.core.ledger.GroupKey;
import dev.tollgate.core.ledger.LedgerReader;
import dev.tollgate.core.ledger.ReportFormat;
import dev.tollgate.core.ledger.TimeRange;
import dev.tollgate.core.ledger.UsageReport;
import dev.tollgate.server.ledger.Ledgers;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@code tollgate report --ledger PATH --from DATE --to DATE --group-by tenant,model [--format csv|json|table]}
 * (CONTRACT §2, §8): sums the ledger's records with {@code from <= ts_start < to} per group, exactly, and
 * prints them. The ledger is SQLite or jsonl, told apart by the file's header and name
 * ({@link Ledgers#openReader}). {@code --group-by} defaults to {@code tenant}, {@code --format} to
 * {@code table}. Unreadable jsonl lines are skipped with a warning on {@code err}.
 *
 * <pre>{@code
 * int exit = ReportCommand.run("tollgate-ledger.db", "2026-11-01", "2026-12-01", "tenant", "csv", System.out, System.err);
 * }</pre>
 */
public final class ReportCommand {

    // The values of ExitCode.OK, FAILURE and USAGE.
    private static final int OK = 0;
    private static final int FAILURE = 1;
    private static final int USAGE = 2;
    private static final int MAX_WARNINGS = 20;

    private ReportCommand() {}

    /**
     * Runs the report.
     *
     * @return 0 when printed; 2 for a missing or invalid option (the reason on {@code err}); 1 when the ledger
     *         cannot be read or the output written
     */
    public static int run(@Nullable String ledgerPath, @Nullable String from, @Nullable String to,
            @Nullable String groupBy, @Nullable String format, PrintStream out, PrintStream err) {
        TimeRange range;
        List<GroupKey> keys;
        ReportFormat reportFormat;
        try {
            if (ledgerPath == null || ledgerPath.isBlank()) {
                throw new IllegalArgumentException("--ledger PATH is required");
            }
            if (from == null || to == null) {
                throw new IllegalArgumentException("--from and --to are required (ISO dates or instants, --to exclusive)");
            }
            range = TimeRange.parse(from, to);
            keys = GroupKey.parseList(groupBy == null ? "tenant" : groupBy);
            reportFormat = ReportFormat.parse(format == null ? "table" : format);
        } catch (IllegalArgumentException e) {
            err.println("report: " + e.getMessage());
            return USAGE;
        }

        Warnings warnings = new Warnings(err);
        UsageReport report;
        try (LedgerReader reader = Ledgers.openReader(Path.of(ledgerPath), warnings)) {
            report = UsageReport.of(reader, range, keys);
        } catch (IOException | UncheckedIOException e) {
            err.println("report: " + e.getMessage());
            return FAILURE;
        } catch (ArithmeticException e) {
            err.println("report: a total does not fit in 64 bits: " + e.getMessage());
            return FAILURE;
        }
        warnings.summarise();

        StringBuilder text = new StringBuilder();
        try {
            reportFormat.write(report, text);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder does not fail", e);
        }
        out.print(text);
        out.flush();
        if (out.checkError()) {
            err.println("report: could not write the output");
            return FAILURE;
        }
        return OK;
    }

    /** Prints the first warnings and counts the rest, so that a damaged file does not flood the terminal. */
    private static final class Warnings implements Consumer<String> {
        private final PrintStream err;
        private int count;

        Warnings(PrintStream err) {
            this.err = err;
        }

        @Override
        public void accept(String warning) {
            if (++count <= MAX_WARNINGS) {
                err.println("report: warning: " + warning);
            }
        }

        void summarise() {
            if (count > MAX_WARNINGS) {
                err.println("report: warning: " + (count - MAX_WARNINGS) + " more unreadable lines skipped");
            }
        }
    }
}
