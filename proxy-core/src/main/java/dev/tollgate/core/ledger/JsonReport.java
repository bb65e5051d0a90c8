package dev.tollgate.core.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/** {@link ReportFormat#JSON}: an array of objects, {@code cost_usd} an exact decimal number. */
final class JsonReport {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReport() {}

    static void write(UsageReport report, Appendable out) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            List<GroupKey> keys = report.groupBy();
            for (UsageReport.Row row : report.rows()) {
                g.writeStartObject();
                for (int i = 0; i < keys.size(); i++) {
                    g.writeStringField(keys.get(i).column(), row.keys().get(i));
                }
                UsageTotals t = row.totals();
                g.writeNumberField("requests", t.requests());
                g.writeNumberField("input_tokens", t.inputTokens());
                g.writeNumberField("cached_input_tokens", t.cachedInputTokens());
                g.writeNumberField("cache_write_tokens", t.cacheWriteTokens());
                g.writeNumberField("output_tokens", t.outputTokens());
                g.writeFieldName("cost_usd");
                // The decimal text as is: a BigDecimal would print 5E-9 for one nano-dollar.
                g.writeNumber(t.costUsd());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        out.append(text.toString()).append('\n');
    }
}
