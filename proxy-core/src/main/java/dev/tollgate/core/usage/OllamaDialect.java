package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * Ollama's native API: {@code /api/chat} and {@code /api/generate} (an NDJSON stream whose last
 * object has {@code "done": true}, or one JSON object) and {@code /api/embed}.
 * {@code prompt_eval_count} is {@code input}, {@code eval_count} is {@code output}; Ollama omits
 * {@code prompt_eval_count} when the whole prompt came from its cache, which reads as 0.
 */
final class OllamaDialect extends UsageDialect {

    private static final int MODEL = 2;
    private static final int PROMPT_EVAL_COUNT = 3;
    private static final int EVAL_COUNT = 4;
    private static final int DONE = 5;
    private static final int TEXT = 6;

    private static final FieldTree TREE;

    static {
        FieldTree text = FieldTree.node(TEXT);
        TREE = FieldTree.node(ROOT)
                .field("model", FieldTree.node(MODEL))
                .field("prompt_eval_count", FieldTree.node(PROMPT_EVAL_COUNT))
                .field("eval_count", FieldTree.node(EVAL_COUNT))
                .field("done", FieldTree.node(DONE))
                .fields(text, "response", "thinking")
                .field("message", FieldTree.node(FieldTree.NONE).fields(text, "content", "thinking"));
    }

    private boolean doneChunk;
    private long promptEvalCount = -1;
    private long evalCount = -1;

    @Override
    FieldTree fields() {
        return TREE;
    }

    @Override
    @Nullable TokenUsage reported() {
        if (!anyReported(promptEvalCount, evalCount)) {
            return null;
        }
        return TokenUsage.of(orZero(promptEvalCount), orZero(evalCount));
    }

    @Override
    public void start(int id, JsonValue value) {
        if (id == ROOT) {
            doneChunk = false;
        }
    }

    @Override
    public void value(int id, JsonValue value) {
        switch (id) {
            case MODEL -> model = Json.model(value, model);
            case PROMPT_EVAL_COUNT -> promptEvalCount = latest(promptEvalCount, value);
            case EVAL_COUNT -> evalCount = latest(evalCount, value);
            case DONE -> doneChunk = value.kind() == JsonValue.Kind.TRUE;
            case TEXT -> Json.appendText(value, outputText);
            default -> { }
        }
    }

    @Override
    public void end(int id) {
        if (id == ROOT && doneChunk) {
            finished = true;
        }
    }
}
