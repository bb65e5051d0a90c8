package dev.tollgate.core.provider;

import java.util.Locale;

/** The wire dialect of an upstream: it decides how requests are read and where usage is found. */
public enum ProviderKind {
    OPENAI("openai"),
    ANTHROPIC("anthropic"),
    /** vLLM, llama.cpp, TGI, Ollama's {@code /v1}: OpenAI's wire format, usage possibly missing. */
    OPENAI_COMPATIBLE("openai-compatible"),
    /** Ollama's native {@code /api/chat} and {@code /api/generate} (NDJSON streams). */
    OLLAMA("ollama");

    private final String configName;

    ProviderKind(String configName) {
        this.configName = configName;
    }

    /** The name used in config files and in the {@code provider} metric label. */
    public String configName() {
        return configName;
    }

    /** Parses a config name such as {@code openai-compatible}. */
    public static ProviderKind fromConfigName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ProviderKind kind : values()) {
            if (kind.configName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "provider: " + name + " (expected: openai, anthropic, openai-compatible or ollama)");
    }

    /** Whether this provider speaks Anthropic's error shape rather than OpenAI's. */
    public boolean usesAnthropicErrors() {
        return this == ANTHROPIC;
    }
}
