package dev.tollgate.core.usage;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RequestInspector} collects from a request body as a {@link JsonWalker} reads it:
 * the top-level model, stream flag, output limit, number of completions and {@code stream_options}, the byte offsets
 * where usage reporting can be switched on, and a sample of the prompt text. JSON's last-key-wins
 * rule is followed throughout, as upstreams follow it.
 */
final class RequestFields implements JsonVisitor {

    private static final int ROOT = 1;
    private static final int MODEL = 2;
    private static final int STREAM = 3;
    private static final int MAX_TOKENS = 4;
    private static final int NUM_PREDICT = 5;
    private static final int STREAM_OPTIONS = 6;
    private static final int INCLUDE_USAGE = 7;
    private static final int STREAM_OPTIONS_MEMBER = 8;
    private static final int PROMPT = 9;
    private static final int N = 10;
    private static final int BEST_OF = 11;

    private static final String INSERT_STREAM_OPTIONS = ",\"stream_options\":{\"include_usage\":true}";
    private static final String INSERT_FIRST_MEMBER = "\"include_usage\":true";
    private static final String INSERT_NEXT_MEMBER = ",\"include_usage\":true";

    private static final FieldTree TREE;

    static {
        // Prompt text: strings anywhere under the prompt-bearing fields, in arrays or under the
        // keys that hold text (content parts, tool results, tool-call arguments, Responses items).
        FieldTree prompt = FieldTree.node(PROMPT);
        prompt.elements(prompt).fields(prompt, "content", "text", "arguments", "output", "tool_calls", "function");
        TREE = FieldTree.node(ROOT)
                .field("model", FieldTree.node(MODEL))
                .field("stream", FieldTree.node(STREAM))
                .fields(FieldTree.node(MAX_TOKENS), "max_tokens", "max_completion_tokens", "max_output_tokens")
                .field("n", FieldTree.node(N))
                .field("best_of", FieldTree.node(BEST_OF))
                .field("options", FieldTree.node(FieldTree.NONE).field("num_predict", FieldTree.node(NUM_PREDICT)))
                .field("stream_options", FieldTree.node(STREAM_OPTIONS)
                        .field("include_usage", FieldTree.node(INCLUDE_USAGE))
                        .anyField(FieldTree.node(STREAM_OPTIONS_MEMBER)))
                .fields(prompt, "messages", "system", "prompt", "input", "instructions");
    }

    private final JsonWalker walker = new JsonWalker(TREE, this);
    private final TextSample promptText = new TextSample();

    private @Nullable String problem;
    private long problemOffset;
    private boolean rootSeen;
    private long rootCloseOffset = -1;

    private @Nullable String model;
    private @Nullable Boolean stream;
    private long maxTokens = -1;
    private long numPredict = -1;
    private long n = -1;
    private long bestOf = -1;

    private StreamOptions streamOptions = StreamOptions.ABSENT;
    private boolean includeUsage;
    private boolean streamOptionsHasMembers;
    private long streamOptionsCloseOffset = -1;

    JsonWalker walker() {
        return walker;
    }

    /** The body is about this long: the prompt text in it cannot be longer. */
    void expectBodyBytes(long bytes) {
        promptText.expect(bytes);
    }

    /** A structural problem found so far (not a syntax error: the scanner throws those), or null. */
    @Nullable String problem() {
        return problem;
    }

    long problemOffset() {
        return problemOffset;
    }

    /** Whether any top-level value started. */
    boolean rootSeen() {
        return rootSeen;
    }

    /** Whether the top-level object has closed (anything after it but whitespace is an error). */
    boolean rootClosed() {
        return walker.rootsClosed() > 0;
    }

    @Override
    public void value(int id, JsonValue value) {
        switch (id) {
            case ROOT -> onRootValue(value);
            case MODEL -> model = Json.model(value, model);
            case STREAM -> stream = value.kind() == JsonValue.Kind.TRUE;
            case MAX_TOKENS -> maxTokens = Json.limit(value);
            case NUM_PREDICT -> numPredict = Json.limit(value);
            case N -> n = Json.limit(value);
            case BEST_OF -> bestOf = Json.limit(value);
            case STREAM_OPTIONS -> streamOptions =
                    value.kind() == JsonValue.Kind.NULL ? StreamOptions.NULL : StreamOptions.OTHER;
            case INCLUDE_USAGE -> {
                includeUsage = value.kind() == JsonValue.Kind.TRUE;
                streamOptionsHasMembers = true;
            }
            case STREAM_OPTIONS_MEMBER -> streamOptionsHasMembers = true;
            case PROMPT -> Json.appendText(value, promptText);
            default -> { }
        }
    }

    @Override
    public void start(int id, JsonValue value) {
        switch (id) {
            case ROOT -> onRootValue(value);
            case STREAM_OPTIONS -> {
                // A repeated key replaces the earlier value entirely, as upstreams read it.
                boolean object = value.kind() == JsonValue.Kind.OBJECT;
                streamOptions = object ? StreamOptions.OBJECT : StreamOptions.OTHER;
                includeUsage = false;
                streamOptionsHasMembers = false;
                streamOptionsCloseOffset = -1;
            }
            case INCLUDE_USAGE -> {
                includeUsage = false;
                streamOptionsHasMembers = true;
            }
            case STREAM_OPTIONS_MEMBER -> streamOptionsHasMembers = true;
            default -> { }
        }
    }

    @Override
    public void end(int id) {
        if (id == ROOT && rootCloseOffset < 0) {
            rootCloseOffset = walker.lastByteOffset();
        } else if (id == STREAM_OPTIONS && streamOptions == StreamOptions.OBJECT) {
            streamOptionsCloseOffset = walker.lastByteOffset();
        }
    }

    /** The facts, once the whole body has been read without a problem. */
    RequestFacts facts(ProviderKind provider, Endpoint endpoint, boolean injectStreamUsage) {
        // Ollama's native endpoints stream unless told not to.
        boolean defaultStream = endpoint == Endpoint.OLLAMA_CHAT || endpoint == Endpoint.OLLAMA_GENERATE;
        boolean streaming = stream != null ? stream : defaultStream;
        long maxOutputTokens = maxTokens >= 0 ? maxTokens : numPredict;
        BodyInsertion injection = null;
        if (injectStreamUsage && streaming && speaksOpenAiStreams(provider, endpoint)) {
            injection = usageInjection();
        }
        long choices = Math.max(1, Math.max(n, bestOf));
        return new RequestFacts(model, streaming, maxOutputTokens, choices, injection, promptText);
    }

    private @Nullable BodyInsertion usageInjection() {
        return switch (streamOptions) {
            case ABSENT, NULL -> BodyInsertion.of(rootCloseOffset, INSERT_STREAM_OPTIONS);
            case OBJECT -> includeUsage ? null : BodyInsertion.of(streamOptionsCloseOffset,
                    streamOptionsHasMembers ? INSERT_NEXT_MEMBER : INSERT_FIRST_MEMBER);
            // Not an object: the upstream will refuse the request; leave it as the client sent it.
            case OTHER -> null;
        };
    }

    private static boolean speaksOpenAiStreams(ProviderKind provider, Endpoint endpoint) {
        return (provider == ProviderKind.OPENAI || provider == ProviderKind.OPENAI_COMPATIBLE)
                && (endpoint == Endpoint.CHAT_COMPLETIONS || endpoint == Endpoint.COMPLETIONS);
    }

    private void onRootValue(JsonValue value) {
        if (problem != null) {
            return;
        }
        if (rootSeen) {
            reportProblem("unexpected data after the top-level JSON object");
        } else if (value.kind() != JsonValue.Kind.OBJECT) {
            reportProblem("the top-level JSON value must be an object");
        }
        rootSeen = true;
    }

    private void reportProblem(String what) {
        problem = what;
        problemOffset = Math.max(0, walker.lastByteOffset());
    }

    /** What the last top-level {@code stream_options} was. */
    private enum StreamOptions { ABSENT, NULL, OBJECT, OTHER }
}
