package dev.tollgate.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * What a response said about itself.
 *
 * @param model      the model the response names (what was billed), or null if it named none
 * @param reported   the usage the provider reported, merged as CONTRACT §5 says, or null if none
 * @param finished   whether the stream's terminal marker was seen ({@code [DONE]}, {@code
 *                   message_stop}, {@code done:true}, {@code response.completed}), always true for
 *                   a whole JSON body
 * @param outputText a sample of the generated text, for estimating output tokens when none were
 *                   reported; the parser's own sample, complete once {@code onEnd()} has run
 *                   (hand it to another thread only after that)
 */
public record ParsedUsage(
        @Nullable String model, @Nullable TokenUsage reported, boolean finished, TextSample outputText) {}
