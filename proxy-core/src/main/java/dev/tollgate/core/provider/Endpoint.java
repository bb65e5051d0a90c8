package dev.tollgate.core.provider;

/**
 * The API operation a request path names. Only these carry token usage; every other path on a
 * route is proxied transparently as {@link #OTHER}.
 */
public enum Endpoint {
    CHAT_COMPLETIONS("chat/completions"),
    COMPLETIONS("completions"),
    EMBEDDINGS("embeddings"),
    RESPONSES("responses"),
    MESSAGES("messages"),
    OLLAMA_CHAT("api/chat"),
    OLLAMA_GENERATE("api/generate"),
    OLLAMA_EMBED("api/embed"),
    OTHER("other");

    private final String label;

    Endpoint(String label) {
        this.label = label;
    }

    /** A short, bounded name for the ledger's {@code endpoint} field. */
    public String label() {
        return label;
    }

    /** Whether requests to this endpoint carry a JSON body naming a model. */
    public boolean isMetered() {
        return this != OTHER;
    }

    /**
     * Classifies the path that follows a route's prefix, e.g. {@code /v1/chat/completions}. The query
     * string, if any, must already be removed.
     */
    public static Endpoint classify(ProviderKind provider, String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (provider == ProviderKind.ANTHROPIC) {
            return p.endsWith("/v1/messages") || p.equals("/messages") ? MESSAGES : OTHER;
        }
        if (provider == ProviderKind.OLLAMA) {
            if (p.endsWith("/api/chat")) {
                return OLLAMA_CHAT;
            }
            if (p.endsWith("/api/generate")) {
                return OLLAMA_GENERATE;
            }
            if (p.endsWith("/api/embed") || p.endsWith("/api/embeddings")) {
                return OLLAMA_EMBED;
            }
            // Ollama also serves the OpenAI dialect under /v1.
        }
        if (p.endsWith("/chat/completions")) {
            return CHAT_COMPLETIONS;
        }
        if (p.endsWith("/completions")) {
            return COMPLETIONS;
        }
        if (p.endsWith("/embeddings")) {
            return EMBEDDINGS;
        }
        if (p.endsWith("/responses")) {
            return RESPONSES;
        }
        return OTHER;
    }
}
