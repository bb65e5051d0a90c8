package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * Anthropic messages. A whole body carries {@code model} and {@code usage} at the top; a stream
 * carries them in {@code message_start} ({@code message.model}, {@code message.usage}) and
 * {@code message_delta} ({@code usage}), text in {@code content_block_delta}, and ends with
 * {@code message_stop}. The event is named by the data's {@code type}, since an {@code event:}
 * line may be missing.
 *
 * <p>{@code message_delta} usage is cumulative and may repeat the input and cache fields, so usage
 * is merged field by field, the last value seen winning; nothing is ever added up. Cache writes
 * are split by lifetime when {@code cache_creation} is present; otherwise all of
 * {@code cache_creation_input_tokens} are 5-minute writes.
 */
final class AnthropicDialect extends UsageDialect {

    private static final int TYPE = 2;
    private static final int MODEL = 3;
    private static final int INPUT_TOKENS = 4;
    private static final int OUTPUT_TOKENS = 5;
    private static final int CACHE_READ = 6;
    private static final int CACHE_CREATION = 7;
    private static final int CACHE_SPLIT = 8;
    private static final int CACHE_5M = 9;
    private static final int CACHE_1H = 10;
    private static final int TEXT = 11;

    private static final FieldTree TREE;

    static {
        FieldTree model = FieldTree.node(MODEL);
        FieldTree usage = FieldTree.node(FieldTree.NONE)
                .field("input_tokens", FieldTree.node(INPUT_TOKENS))
                .field("output_tokens", FieldTree.node(OUTPUT_TOKENS))
                .field("cache_read_input_tokens", FieldTree.node(CACHE_READ))
                .field("cache_creation_input_tokens", FieldTree.node(CACHE_CREATION))
                .field("cache_creation", FieldTree.node(CACHE_SPLIT)
                        .field("ephemeral_5m_input_tokens", FieldTree.node(CACHE_5M))
                        .field("ephemeral_1h_input_tokens", FieldTree.node(CACHE_1H)));
        FieldTree text = FieldTree.node(TEXT);
        // Text, thinking and tool-input JSON are all generated tokens.
        FieldTree block = FieldTree.node(FieldTree.NONE).fields(text, "text", "thinking", "partial_json");
        TREE = FieldTree.node(ROOT)
                .field("type", FieldTree.node(TYPE))
                .field("model", model)
                .field("usage", usage)
                .field("content", FieldTree.node(FieldTree.NONE).elements(block))
                .field("delta", block)
                .field("message", FieldTree.node(FieldTree.NONE).field("model", model).field("usage", usage));
    }

    private boolean stopEvent;
    private long input = -1;
    private long output = -1;
    private long cacheRead = -1;
    private long cacheCreation = -1;
    private boolean cacheSplit;
    private long cache5m = -1;
    private long cache1h = -1;

    @Override
    FieldTree fields() {
        return TREE;
    }

    @Override
    @Nullable TokenUsage reported() {
        if (!anyReported(input, output, cacheRead, cacheCreation, cache5m, cache1h)) {
            return null;
        }
        long write5m = cacheSplit ? orZero(cache5m) : orZero(cacheCreation);
        long write1h = cacheSplit ? orZero(cache1h) : 0;
        return new TokenUsage(orZero(input), orZero(cacheRead), write5m, write1h, orZero(output));
    }

    @Override
    public void start(int id, JsonValue value) {
        if (id == ROOT) {
            stopEvent = false;
        } else if (id == CACHE_SPLIT) {
            cacheSplit = true;
        }
    }

    @Override
    public void value(int id, JsonValue value) {
        switch (id) {
            case TYPE -> stopEvent = Json.textEquals(value, "message_stop");
            case MODEL -> model = Json.model(value, model);
            case INPUT_TOKENS -> input = latest(input, value);
            case OUTPUT_TOKENS -> output = latest(output, value);
            case CACHE_READ -> cacheRead = latest(cacheRead, value);
            case CACHE_CREATION -> cacheCreation = latest(cacheCreation, value);
            case CACHE_5M -> cache5m = latest(cache5m, value);
            case CACHE_1H -> cache1h = latest(cache1h, value);
            case TEXT -> Json.appendText(value, outputText);
            default -> { }
        }
    }

    @Override
    public void end(int id) {
        if (id == ROOT && stopEvent) {
            finished = true;
        }
    }
}
