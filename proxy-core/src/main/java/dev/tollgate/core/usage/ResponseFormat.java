package dev.tollgate.core.usage;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How a response body is framed, from its {@code Content-Type}. The server splits SSE bodies into
 * events and NDJSON bodies into lines before handing them to a {@link ResponseUsageParser}; JSON
 * bodies are handed over in whatever chunks arrive.
 */
public enum ResponseFormat {
    /** One JSON document, fed in arbitrary chunks. */
    JSON,
    /** Server-sent events: each record is one whole event, without its terminating blank line. */
    SSE,
    /** Newline-delimited JSON (Ollama streams): each record is one line, without its line end. */
    NDJSON;

    /** The format a {@code Content-Type} header names; JSON when absent or unrecognised. */
    public static ResponseFormat fromContentType(@Nullable String contentType) {
        if (contentType == null) {
            return JSON;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("text/event-stream")) {
            return SSE;
        }
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")
                || type.startsWith("application/ndjson")) {
            return NDJSON;
        }
        return JSON;
    }
}
