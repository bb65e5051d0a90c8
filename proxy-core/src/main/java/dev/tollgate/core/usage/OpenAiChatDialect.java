package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * OpenAI chat completions, legacy completions and embeddings, from OpenAI and the servers that
 * copy its format (vLLM, llama.cpp, TGI, Ollama's {@code /v1}). Per CONTRACT §5: {@code input} is
 * {@code prompt_tokens} less its cached and cache-write parts, {@code output} is
 * {@code completion_tokens} with reasoning included.
 *
 * <p>A stream's usage may come in a final usage-only chunk, after the {@code finish_reason}
 * chunk, in every chunk (cumulative, as vLLM's continuous usage stats do) or never: the last
 * usage seen wins.
 */
final class OpenAiChatDialect extends UsageDialect {

    private static final int MODEL = 2;
    private static final int USAGE = 3;
    private static final int PROMPT_TOKENS = 4;
    private static final int COMPLETION_TOKENS = 5;
    private static final int CACHED_TOKENS = 6;
    private static final int CACHE_WRITE_TOKENS = 7;
    private static final int CHOICE = 8;
    private static final int TEXT = 9;

    private static final FieldTree TREE;

    static {
        FieldTree text = FieldTree.node(TEXT);
        // Everything the model generated counts as output: content, reasoning, tool arguments.
        FieldTree message = FieldTree.node(FieldTree.NONE)
                .fields(text, "content", "reasoning_content", "reasoning")
                .field("tool_calls", FieldTree.node(FieldTree.NONE).elements(FieldTree.node(FieldTree.NONE)
                        .field("function", FieldTree.node(FieldTree.NONE).field("arguments", text))));
        FieldTree usage = FieldTree.node(USAGE)
                .field("prompt_tokens", FieldTree.node(PROMPT_TOKENS))
                .field("completion_tokens", FieldTree.node(COMPLETION_TOKENS))
                .field("prompt_tokens_details", FieldTree.node(FieldTree.NONE)
                        .field("cached_tokens", FieldTree.node(CACHED_TOKENS))
                        .field("cache_write_tokens", FieldTree.node(CACHE_WRITE_TOKENS)));
        TREE = FieldTree.node(ROOT)
                .field("model", FieldTree.node(MODEL))
                .field("usage", usage)
                .field("choices", FieldTree.node(FieldTree.NONE).elements(FieldTree.node(CHOICE)
                        .field("delta", message)
                        .field("message", message)
                        .field("text", text)));
    }

    // The chunk being read.
    private boolean chunkHasUsage;
    private int chunkChoices;
    private long prompt = -1;
    private long completion = -1;
    private long cached = -1;
    private long cacheWrite = -1;
    private boolean lastChunkUsageOnly;

    /** Made for the second chunk of a stream: a JSON body never needs one. */
    private @Nullable ChatChunkSkimmer skimmer;

    // The last usage seen.
    private @Nullable TokenUsage reported;

    @Override
    FieldTree fields() {
        return TREE;
    }

    @Override
    @Nullable TokenUsage reported() {
        return reported;
    }

    @Override
    boolean skim(byte[] event, int start, int end) {
        // The first chunk is parsed in full for the model; usage chunks always are.
        if (model == null) {
            return false;
        }
        if (skimmer == null) {
            skimmer = new ChatChunkSkimmer();
        }
        if (!skimmer.skim(event, start, end, outputText)) {
            return false;
        }
        lastChunkUsageOnly = false;
        return true;
    }

    @Override
    boolean lastChunkWasUsageOnly() {
        return lastChunkUsageOnly;
    }

    @Override
    public void start(int id, JsonValue value) {
        switch (id) {
            case ROOT -> {
                chunkHasUsage = false;
                chunkChoices = 0;
                lastChunkUsageOnly = false;
            }
            case USAGE -> {
                chunkHasUsage = value.kind() == JsonValue.Kind.OBJECT;
                prompt = completion = cached = cacheWrite = -1;
            }
            case CHOICE -> chunkChoices++;
            default -> { }
        }
    }

    @Override
    public void value(int id, JsonValue value) {
        switch (id) {
            case MODEL -> model = Json.model(value, model);
            case PROMPT_TOKENS -> prompt = Json.count(value);
            case COMPLETION_TOKENS -> completion = Json.count(value);
            case CACHED_TOKENS -> cached = Json.count(value);
            case CACHE_WRITE_TOKENS -> cacheWrite = Json.count(value);
            case CHOICE -> chunkChoices++;
            case TEXT -> Json.appendText(value, outputText);
            default -> { }
        }
    }

    @Override
    public void end(int id) {
        if (id != ROOT) {
            return;
        }
        lastChunkUsageOnly = chunkHasUsage && chunkChoices == 0;
        if (chunkHasUsage && anyReported(prompt, completion, cached, cacheWrite)) {
            long cachedTokens = orZero(cached);
            long writeTokens = orZero(cacheWrite);
            long input = Math.max(0, orZero(prompt) - cachedTokens - writeTokens);
            reported = new TokenUsage(input, cachedTokens, writeTokens, 0, orZero(completion));
        }
    }
}
