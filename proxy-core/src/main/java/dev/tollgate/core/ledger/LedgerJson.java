package dev.tollgate.core.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one-line JSON form of a {@link LedgerRecord}: what the {@code jsonl} sink and the spill files hold,
 * and what {@code /admin/requests/{id}} may return. Field names and order are CONTRACT §8's:
 *
 * <pre>{@code
 * {"request_id":"r1","ts_start":"2026-11-27T10:15:30.123Z","ts_end":"2026-11-27T10:15:31.004Z",
 *  "tenant":"acme","tags":{"feature":"search"},"route":"/openai","provider":"openai",
 *  "endpoint":"chat/completions","model_requested":"gpt-4o-mini","model_billed":"gpt-4o-mini-2024-07-18",
 *  "stream":true,"status_code":200,"outcome":"ok","input_tokens":812,"cached_input_tokens":0,
 *  "cache_write_tokens":0,"output_tokens":64,"estimated":false,"cost_nano_usd":160200,
 *  "price_source":"catalog_undated","ttft_ms":231,"duration_ms":881,"upstream_ms":874}
 * }</pre>
 *
 * <p>Timestamps are UTC with exactly three fraction digits ({@link #formatInstant}), so they sort as
 * text. A duration that was not measured is {@code null}; a missing model is {@code null}. Reading
 * ignores unknown fields. Stateless and thread-safe.
 */
public final class LedgerJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LedgerJson() {}

    /** The record as one line of JSON, without a line end. */
    public static String write(LedgerRecord r) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("request_id", r.requestId());
            g.writeStringField("ts_start", formatInstant(r.tsStart()));
            g.writeStringField("ts_end", formatInstant(r.tsEnd()));
            g.writeStringField("tenant", r.tenant());
            g.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> tag : r.tags().entrySet()) {
                g.writeStringField(tag.getKey(), tag.getValue());
            }
            g.writeEndObject();
            g.writeStringField("route", r.route());
            g.writeStringField("provider", r.provider());
            g.writeStringField("endpoint", r.endpoint());
            g.writeStringField("model_requested", r.modelRequested());
            g.writeStringField("model_billed", r.modelBilled());
            g.writeBooleanField("stream", r.stream());
            g.writeNumberField("status_code", r.statusCode());
            g.writeStringField("outcome", r.outcome());
            g.writeNumberField("input_tokens", r.inputTokens());
            g.writeNumberField("cached_input_tokens", r.cachedInputTokens());
            g.writeNumberField("cache_write_tokens", r.cacheWriteTokens());
            g.writeNumberField("output_tokens", r.outputTokens());
            g.writeBooleanField("estimated", r.estimated());
            g.writeNumberField("cost_nano_usd", r.costNanoUsd());
            g.writeStringField("price_source", r.priceSource());
            writeDuration(g, "ttft_ms", r.ttftMs());
            writeDuration(g, "duration_ms", r.durationMs());
            writeDuration(g, "upstream_ms", r.upstreamMs());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    /**
     * Parses one line written by {@link #write}.
     *
     * @throws IllegalArgumentException when the line is not JSON or a required field is missing or mistyped
     */
    public static LedgerRecord read(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ledger line: not JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("ledger line: " + abbreviate(line) + " (expected: a JSON object)");
        }
        return new LedgerRecord(
                text(n, "request_id"),
                parseInstant(text(n, "ts_start")),
                parseInstant(text(n, "ts_end")),
                text(n, "tenant"),
                tags(n),
                text(n, "route"),
                text(n, "provider"),
                text(n, "endpoint"),
                optionalText(n, "model_requested"),
                optionalText(n, "model_billed"),
                bool(n, "stream"),
                Math.toIntExact(number(n, "status_code")),
                text(n, "outcome"),
                number(n, "input_tokens"),
                number(n, "cached_input_tokens"),
                number(n, "cache_write_tokens"),
                number(n, "output_tokens"),
                bool(n, "estimated"),
                number(n, "cost_nano_usd"),
                text(n, "price_source"),
                optionalNumber(n, "ttft_ms"),
                number(n, "duration_ms"),
                optionalNumber(n, "upstream_ms"));
    }

    /** A timestamp as the ledger writes it: UTC, millisecond precision, fixed width, e.g. {@code 2026-11-27T10:15:30.120Z}. */
    public static String formatInstant(Instant instant) {
        return INSTANT.format(instant);
    }

    /** Parses any ISO-8601 instant, e.g. one written by {@link #formatInstant}. */
    public static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timestamp: '" + text + "' (expected: an ISO-8601 instant)", e);
        }
    }

    private static void writeDuration(JsonGenerator g, String name, long millis) throws IOException {
        if (millis < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, millis);
        }
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("ledger line: " + name + " missing");
        }
        return v;
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("ledger line: " + name + ": " + v + " (expected: a string)");
        }
        return v.textValue();
    }

    private static @Nullable String optionalText(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : text(n, name);
    }

    private static long number(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("ledger line: " + name + ": " + v + " (expected: an integer)");
        }
        return v.longValue();
    }

    private static long optionalNumber(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? LedgerRecord.ABSENT : number(n, name);
    }

    private static boolean bool(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("ledger line: " + name + ": " + v + " (expected: true or false)");
        }
        return v.booleanValue();
    }

    private static Map<String, String> tags(JsonNode n) {
        JsonNode v = n.get("tags");
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("ledger line: tags: " + v + " (expected: an object)");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            tags.put(e.getKey(), e.getValue().asText());
        }
        return tags;
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
