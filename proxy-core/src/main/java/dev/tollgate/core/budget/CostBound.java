package dev.tollgate.core.budget;

import dev.tollgate.core.pricing.CostCalculator;
import dev.tollgate.core.pricing.ModelPrice;
import dev.tollgate.core.pricing.Rates;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.core.usage.TokenUsage;
import java.time.Instant;

/**
 * An upper bound of a request's cost, known before it is forwarded: what {@link BudgetEnforcer}
 * holds while the request runs.
 *
 * <p><b>Input.</b> The request body's length in bytes bounds its input tokens. Tokenizers of the
 * providers are byte-level BPE, where every token stands for at least one UTF-8 byte of text, and
 * JSON encodes text in at least as many bytes (escapes only lengthen it); the per-message framing
 * tokens a provider adds are fewer than the JSON syntax around each message. The bound is cheap (no
 * tokenizer on the event loop) and holds for every provider, including those whose tokenizer is not
 * public, at the price of holding about four times the input of English text while the request
 * runs. Every input token is priced at the dearest input rate of the model (uncached, cached, cache
 * write 5m or 1h), since the split is known only from the response; the price tier is the one the
 * bound's input count reaches.
 *
 * <p><b>Output.</b> The request's output limit ({@code max_tokens}, {@code max_completion_tokens},
 * {@code max_output_tokens}, Ollama's {@code num_predict}), times the number of completions asked
 * for ({@code n}, {@code best_of}), at the output rate; reasoning and thinking tokens count inside
 * these limits. Embeddings produce no output. A request without a limit gets
 * {@link #defaultMaxOutputTokens()}.
 *
 * <p><b>When the bound can be passed</b> (the only sources of budget overshoot):
 * <ul>
 *   <li>no output limit in the request and more output than the default allowance: the excess,
 *       at the output rate;</li>
 *   <li>input the body does not carry: images, audio or files referenced by URL or file id, a
 *       conversation continued server-side ({@code previous_response_id}), stored prompts, a
 *       system prompt configured on a self-hosted server;</li>
 *   <li>a response that names a dearer model than the request did (the billed model is priced), or
 *       a price whose tiers get cheaper with size;</li>
 *   <li>an upstream that ignores the output limit, or a locally estimated count that disagrees with
 *       it.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; allocates nothing but a {@link TokenUsage}.
 */
public final class CostBound {

    /**
     * Output tokens assumed for a request that sets no output limit: a typical completion fits, and
     * a hold this size keeps a tenant near its limit from being refused for no reason.
     */
    public static final long DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    private static final CostBound DEFAULTS = new CostBound(DEFAULT_MAX_OUTPUT_TOKENS);

    private final long defaultMaxOutputTokens;

    /**
     * @param defaultMaxOutputTokens output tokens assumed when the request sets no limit; {@code >= 0}
     */
    public CostBound(long defaultMaxOutputTokens) {
        if (defaultMaxOutputTokens < 0) {
            throw new IllegalArgumentException("defaultMaxOutputTokens: " + defaultMaxOutputTokens + " (expected: >= 0)");
        }
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    /** A bound with {@link #DEFAULT_MAX_OUTPUT_TOKENS}. */
    public static CostBound defaults() {
        return DEFAULTS;
    }

    public long defaultMaxOutputTokens() {
        return defaultMaxOutputTokens;
    }

    /**
     * The cost bound in nano-USD of a request to {@code endpoint} with a body of {@code bodyBytes}
     * bytes, priced by {@code price} for a request made at {@code at} (as the actual cost will be).
     * {@link Long#MAX_VALUE} when the bound does not fit a {@code long} (such a request never fits a budget).
     */
    public long nanoUsd(ModelPrice price, Instant at, Endpoint endpoint, long bodyBytes, RequestFacts facts) {
        return nanoUsd(price, at, inputTokens(bodyBytes), outputTokens(endpoint, facts));
    }

    /** The cost bound in nano-USD of {@code inputTokens} and {@code outputTokens} at their dearest rates. */
    public long nanoUsd(ModelPrice price, Instant at, long inputTokens, long outputTokens) {
        TokenUsage bound = TokenUsage.of(inputTokens, outputTokens);
        Rates rates = price.ratesFor(bound, at);
        long dearestInput = Math.max(Math.max(rates.inputFemtoUsd(), rates.cachedInputFemtoUsd()),
                Math.max(rates.cacheWrite5mFemtoUsd(), rates.cacheWrite1hFemtoUsd()));
        Rates worst = new Rates(dearestInput, dearestInput, dearestInput, dearestInput, rates.outputFemtoUsd());
        try {
            return CostCalculator.costNanoUsd(bound, worst);
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    /** Input tokens bound: the body's length in bytes (see the class comment). */
    public long inputTokens(long bodyBytes) {
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("bodyBytes: " + bodyBytes + " (expected: >= 0)");
        }
        return bodyBytes;
    }

    /** Output tokens bound: the request's output limit (or the default) times its completions; 0 for embeddings. */
    public long outputTokens(Endpoint endpoint, RequestFacts facts) {
        if (endpoint == Endpoint.EMBEDDINGS || endpoint == Endpoint.OLLAMA_EMBED) {
            return 0;
        }
        long perChoice = facts.maxOutputTokens() >= 0 ? facts.maxOutputTokens() : defaultMaxOutputTokens;
        long choices = Math.max(1, facts.choices());
        long total = perChoice * choices;
        // Both come from the client: saturate rather than wrap.
        return Math.multiplyHigh(perChoice, choices) != 0 || total < 0 ? Long.MAX_VALUE / 2 : total;
    }
}
