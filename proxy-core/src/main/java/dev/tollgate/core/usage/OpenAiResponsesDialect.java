package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Responses API ({@code /v1/responses}). A whole body carries {@code model} and
 * {@code usage} at the top; a stream names its events in {@code type}: {@code response.created}
 * carries the model, {@code response.output_text.delta} the text, and {@code response.completed},
 * {@code response.incomplete} or {@code response.failed} the usage, and ends the stream.
 * Per CONTRACT §5, {@code input} is {@code input_tokens} less {@code cached_tokens}.
 */
final class OpenAiResponsesDialect extends UsageDialect {

    private static final int TYPE = 2;
    private static final int MODEL = 3;
    private static final int USAGE = 4;
    private static final int INPUT_TOKENS = 5;
    private static final int CACHED_TOKENS = 6;
    private static final int OUTPUT_TOKENS = 7;
    private static final int DELTA = 8;
    private static final int TEXT = 9;

    /** Event kinds, from {@code type}. */
    private static final int UNKNOWN = 0;
    private static final int OTHER = 1;
    private static final int TEXT_DELTA = 2;
    private static final int TERMINAL = 3;

    private static final String[] TEXT_DELTAS = {
        "response.output_text.delta", "response.refusal.delta",
        "response.reasoning_summary_text.delta", "response.reasoning_text.delta",
        "response.function_call_arguments.delta",
    };
    private static final String[] TERMINALS = {"response.completed", "response.incomplete", "response.failed"};

    private static final FieldTree TREE;

    static {
        FieldTree model = FieldTree.node(MODEL);
        FieldTree usage = FieldTree.node(USAGE)
                .field("input_tokens", FieldTree.node(INPUT_TOKENS))
                .field("input_tokens_details", FieldTree.node(FieldTree.NONE)
                        .field("cached_tokens", FieldTree.node(CACHED_TOKENS)))
                .field("output_tokens", FieldTree.node(OUTPUT_TOKENS));
        FieldTree text = FieldTree.node(TEXT);
        FieldTree parts = FieldTree.node(FieldTree.NONE).elements(FieldTree.node(FieldTree.NONE).field("text", text));
        // A whole response's output items: messages, reasoning summaries, function calls.
        FieldTree output = FieldTree.node(FieldTree.NONE).elements(FieldTree.node(FieldTree.NONE)
                .field("content", parts)
                .field("summary", parts)
                .field("arguments", text));
        TREE = FieldTree.node(ROOT)
                .field("type", FieldTree.node(TYPE))
                .field("model", model)
                .field("usage", usage)
                .field("output", output)
                .field("delta", FieldTree.node(DELTA))
                .field("response", FieldTree.node(FieldTree.NONE).field("model", model).field("usage", usage));
    }

    // The event being read.
    private int eventKind;
    private @Nullable String pendingDelta;
    private boolean eventHasUsage;
    private long input = -1;
    private long cached = -1;
    private long output = -1;

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
    public void start(int id, JsonValue value) {
        if (id == ROOT) {
            eventKind = UNKNOWN;
            pendingDelta = null;
            eventHasUsage = false;
        } else if (id == USAGE) {
            eventHasUsage = value.kind() == JsonValue.Kind.OBJECT;
            input = cached = output = -1;
        }
    }

    @Override
    public void value(int id, JsonValue value) {
        switch (id) {
            case TYPE -> eventKind = kindOf(value);
            case MODEL -> model = Json.model(value, model);
            case INPUT_TOKENS -> input = Json.count(value);
            case CACHED_TOKENS -> cached = Json.count(value);
            case OUTPUT_TOKENS -> output = Json.count(value);
            case TEXT -> Json.appendText(value, outputText);
            case DELTA -> onDelta(value);
            default -> { }
        }
    }

    @Override
    public void end(int id) {
        if (id != ROOT) {
            return;
        }
        if (pendingDelta != null && eventKind == TEXT_DELTA) {
            outputText.append(pendingDelta);
        }
        pendingDelta = null;
        if (eventHasUsage && anyReported(input, cached, output)) {
            long cachedTokens = orZero(cached);
            reported = new TokenUsage(Math.max(0, orZero(input) - cachedTokens), cachedTokens, 0, 0, orZero(output));
        }
        if (eventKind == TERMINAL) {
            finished = true;
        }
    }

    private void onDelta(JsonValue value) {
        if (eventKind == TEXT_DELTA) {
            Json.appendText(value, outputText);
        } else if (eventKind == UNKNOWN && value.isString()) {
            // "type" normally comes first; when it does not, keep the text until the event ends.
            pendingDelta = value.text();
        }
    }

    private static int kindOf(JsonValue value) {
        for (String type : TEXT_DELTAS) {
            if (Json.textEquals(value, type)) {
                return TEXT_DELTA;
            }
        }
        for (String type : TERMINALS) {
            if (Json.textEquals(value, type)) {
                return TERMINAL;
            }
        }
        return OTHER;
    }
}
