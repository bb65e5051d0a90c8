package dev.tollgate.core.ledger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link ReportFormat#TABLE}: aligned columns for a terminal, with a TOTAL line. */
final class TableReport {

    private static final String GAP = "  ";
    private static final String MISSING = "-";
    private static final String TOTAL = "TOTAL";

    private TableReport() {}

    static void write(UsageReport report, Appendable out) throws IOException {
        int keyCount = report.groupBy().size();
        List<String> header = report.columns();
        List<List<String>> body = new ArrayList<>();
        for (UsageReport.Row row : report.rows()) {
            List<String> cells = new ArrayList<>();
            for (@Nullable String key : row.keys()) {
                cells.add(key == null ? MISSING : key);
            }
            cells.addAll(CsvReport.values(row.totals()));
            body.add(cells);
        }
        List<String> total = new ArrayList<>();
        total.add(TOTAL);
        for (int i = 1; i < keyCount; i++) {
            total.add("");
        }
        total.addAll(CsvReport.values(report.total()));

        int[] widths = new int[header.size()];
        for (List<String> cells : concat(List.of(header, total), body)) {
            for (int i = 0; i < cells.size(); i++) {
                widths[i] = Math.max(widths[i], cells.get(i).length());
            }
        }
        line(out, header, widths, keyCount);
        rule(out, widths);
        for (List<String> cells : body) {
            line(out, cells, widths, keyCount);
        }
        rule(out, widths);
        line(out, total, widths, keyCount);
    }

    private static void line(Appendable out, List<String> cells, int[] widths, int keyCount) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                text.append(GAP);
            }
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            // Keys read left to right; numbers line up on their last digit.
            text.append(i < keyCount ? cell + pad : pad + cell);
        }
        out.append(text.toString().stripTrailing()).append('\n');
    }

    private static void rule(Appendable out, int[] widths) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            if (i > 0) {
                text.append(GAP);
            }
            text.append("-".repeat(widths[i]));
        }
        out.append(text).append('\n');
    }

    private static List<List<String>> concat(List<List<String>> a, List<List<String>> b) {
        List<List<String>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
