package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * What the proxy learns from a request body, read incrementally by {@link RequestInspector}.
 *
 * @param model             the {@code model} field, or null
 * @param stream            whether {@code "stream": true} was asked for (the last {@code stream} key
 *                          wins); Ollama's {@code /api/chat} and {@code /api/generate} stream when
 *                          the key is absent
 * @param maxOutputTokens   {@code max_tokens}, {@code max_completion_tokens} or
 *                          {@code max_output_tokens} (Ollama: {@code options.num_predict}), or -1
 * @param choices           how many completions the request asks for, each up to
 *                          {@code maxOutputTokens}: the larger of {@code n} and {@code best_of}
 *                          (OpenAI), 1 when neither is given
 * @param usageInjection    the bytes to insert so that an OpenAI chat stream reports its usage, or
 *                          null when the client asked for usage itself or the request is not such a
 *                          stream
 * @param promptText        a sample of the prompt text (messages, prompt, input, system,
 *                          instructions), for local token counting; no longer written to once
 *                          the facts exist
 */
public record RequestFacts(
        @Nullable String model,
        boolean stream,
        long maxOutputTokens,
        long choices,
        @Nullable BodyInsertion usageInjection,
        TextSample promptText) {}
