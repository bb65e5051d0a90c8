package dev.tollgate.core.usage;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;

/**
 * Creates the {@link ResponseUsageParser} for one response.
 *
 * <pre>{@code
 * ResponseUsageParser parser = UsageParsers.forResponse(
 *         ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, ResponseFormat.SSE, facts.usageInjection() != null);
 * }</pre>
 *
 * <p>The dialect follows the endpoint, since each endpoint speaks one wire format whoever serves
 * it (Ollama's {@code /v1/chat/completions} is OpenAI's format, its {@code /api/chat} its own):
 * <ul>
 *   <li>{@code CHAT_COMPLETIONS}, {@code COMPLETIONS}, {@code EMBEDDINGS}: OpenAI's usage object;
 *   <li>{@code RESPONSES}: OpenAI's Responses API;
 *   <li>{@code MESSAGES}: Anthropic messages;
 *   <li>{@code OLLAMA_CHAT}, {@code OLLAMA_GENERATE}, {@code OLLAMA_EMBED}: Ollama's native counts;
 *   <li>{@code OTHER}: a parser that forwards everything and reports nothing.
 * </ul>
 * Each parser is small (about a kilobyte, more only while a wanted string spans reads) and
 * allocates little per event: no tree, no String per delta.
 */
public final class UsageParsers {

    private UsageParsers() {}

    /**
     * A new parser for one response. Thread-safe; the parser it returns is not (one event loop
     * drives it).
     *
     * @param provider           the route's wire dialect (the endpoint decides the parser: see above)
     * @param endpoint           the endpoint the request was sent to
     * @param format             how the response body is framed, from its {@code Content-Type}
     * @param dropUsageOnlyChunk true when the proxy injected {@code stream_options.include_usage}
     *                           itself (see {@link RequestFacts#usageInjection()}): the usage-only
     *                           chunk of an OpenAI chat or completions stream then gets
     *                           {@code false} from {@link ResponseUsageParser#onData}, so the client
     *                           sees exactly the stream it asked for. Ignored by other dialects.
     */
    public static ResponseUsageParser forResponse(
            ProviderKind provider, Endpoint endpoint, ResponseFormat format, boolean dropUsageOnlyChunk) {
        UsageDialect dialect = switch (endpoint) {
            case CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS -> new OpenAiChatDialect();
            case RESPONSES -> new OpenAiResponsesDialect();
            case MESSAGES -> new AnthropicDialect();
            case OLLAMA_CHAT, OLLAMA_GENERATE, OLLAMA_EMBED -> new OllamaDialect();
            case OTHER -> null;
        };
        if (dialect == null) {
            return new NoUsageParser();
        }
        return switch (format) {
            case JSON -> new JsonBodyUsageParser(dialect);
            case SSE -> new SseUsageParser(dialect, dropUsageOnlyChunk);
            case NDJSON -> new NdjsonUsageParser(dialect);
        };
    }
}
