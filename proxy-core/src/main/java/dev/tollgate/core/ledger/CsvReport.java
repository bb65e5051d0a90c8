package dev.tollgate.core.ledger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link ReportFormat#CSV}: RFC 4180. */
final class CsvReport {

    private static final String CRLF = "\r\n";

    private CsvReport() {}

    static void write(UsageReport report, Appendable out) throws IOException {
        line(out, report.columns());
        for (UsageReport.Row row : report.rows()) {
            List<@Nullable String> fields = new ArrayList<>(row.keys());
            fields.addAll(values(row.totals()));
            line(out, fields);
        }
    }

    /** The value columns as text, in {@link UsageReport#VALUE_COLUMNS} order. */
    static List<String> values(UsageTotals t) {
        return List.of(
                Long.toString(t.requests()),
                Long.toString(t.inputTokens()),
                Long.toString(t.cachedInputTokens()),
                Long.toString(t.cacheWriteTokens()),
                Long.toString(t.outputTokens()),
                t.costUsd());
    }

    /** One field, quoted when RFC 4180 requires it. */
    static String field(@Nullable String value) {
        if (value == null) {
            return "";
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private static void line(Appendable out, List<@Nullable String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append(CRLF);
    }
}
