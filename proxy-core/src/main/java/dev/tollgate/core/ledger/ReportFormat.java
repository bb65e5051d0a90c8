package dev.tollgate.core.ledger;

import java.io.IOException;
import java.util.Locale;

/**
 * The {@code --format} of {@code tollgate report}. Column names and order are {@link UsageReport#columns()};
 * {@code cost_usd} is USD with exactly 9 decimal places in every format.
 *
 * <ul>
 *   <li>{@link #CSV}: RFC 4180 (CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes
 *       doubled), a header line, one line per row, no total line. A missing key value is an empty field.
 *   <li>{@link #JSON}: an array of objects, one per row, no total. Key values are strings or {@code null};
 *       counts are integers; {@code cost_usd} is an exact decimal number such as {@code 12.000160200}
 *       (a parser that reads numbers as binary floating point may round it: read it as a decimal).
 *   <li>{@link #TABLE}: for people: aligned columns (keys left, numbers right), a missing value shown as
 *       {@code -}, and a {@code TOTAL} line.
 * </ul>
 */
public enum ReportFormat {
    CSV,
    JSON,
    TABLE;

    /**
     * Parses {@code csv}, {@code json} or {@code table}, in any case.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static ReportFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format: '" + text + "' (expected: csv, json or table)", e);
        }
    }

    /** Writes the report; does not flush or close {@code out}. */
    public void write(UsageReport report, Appendable out) throws IOException {
        switch (this) {
            case CSV -> CsvReport.write(report, out);
            case JSON -> JsonReport.write(report, out);
            case TABLE -> TableReport.write(report, out);
        }
    }
}
