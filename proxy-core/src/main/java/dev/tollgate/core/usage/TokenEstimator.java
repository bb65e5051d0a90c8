package dev.tollgate.core.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Counts tokens locally when the upstream reported none (an old server, an aborted stream): the
 * {@code estimated} path of CONTRACT §5. It counts a {@link TextSample}'s kept text with the
 * model's BPE encoding (jtokkit) and scales the count by {@code totalBytes / sampledBytes}, rounded
 * half up, so a prompt of any size costs one bounded count.
 *
 * <p>Encodings: {@code o200k_base} for gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3, o4 and chatgpt-4o;
 * {@code cl100k_base} for gpt-4, gpt-3.5, text-embedding-*, and as the fallback for every other
 * model, including other providers' (an approximation: their tokenizers are not public).
 * A provider prefix ({@code openai/gpt-4o}) and a fine-tune prefix ({@code ft:gpt-4o-mini:...})
 * are looked through. Special-token text such as {@code <|endoftext|>} is counted as ordinary text.
 *
 * <p>Thread-safe. Counting is CPU work proportional to the sample (up to a few milliseconds), so
 * call it off the event loop. Construction loads two vocabularies (some hundred milliseconds):
 * create one estimator per process.
 */
public final class TokenEstimator {

    private static final String[] O200K_PREFIXES = {
        "gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o",
    };

    private final Encoding o200k;
    private final Encoding cl100k;

    /** Loads the encodings; slow, so do it once at startup. */
    public TokenEstimator() {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        this.o200k = registry.getEncoding(EncodingType.O200K_BASE);
        this.cl100k = registry.getEncoding(EncodingType.CL100K_BASE);
    }

    /**
     * Estimated usage of a request whose upstream reported none: every prompt token is
     * {@code input} (nothing is known about caching), every output token {@code output}.
     *
     * @param model  the model (billed or requested), or null for the fallback encoding
     * @param prompt the request's prompt sample ({@link RequestFacts#promptText()})
     * @param output the response's text sample ({@link ParsedUsage#outputText()})
     */
    public TokenUsage estimate(@Nullable String model, TextSample prompt, TextSample output) {
        return TokenUsage.of(countTokens(model, prompt), countTokens(model, output));
    }

    /**
     * The tokens of the whole text a sample stands for: the sample's token count scaled by
     * {@code totalBytes / sampledBytes}, rounded half up; exact when the sample kept everything.
     */
    public long countTokens(@Nullable String model, TextSample text) {
        int sampled = text.sampledBytes();
        if (sampled == 0) {
            return 0;
        }
        long counted = encodingFor(model).countTokensOrdinary(text.text());
        return scale(counted, text.totalBytes(), sampled);
    }

    /** The encoding's name for a model, e.g. {@code o200k_base}: for logs and tests. */
    String encodingName(@Nullable String model) {
        return encodingFor(model).getName();
    }

    /** {@code counted * total / sampled}, rounded half up, without overflow for any realistic size. */
    static long scale(long counted, long total, long sampled) {
        long whole = total / sampled;
        long rest = total % sampled;
        // counted * rest < counted * sampled: both small (a sample is a few thousand characters).
        return counted * whole + (2 * counted * rest + sampled) / (2 * sampled);
    }

    private Encoding encodingFor(@Nullable String model) {
        if (model == null) {
            return cl100k;
        }
        String name = model.toLowerCase(Locale.ROOT);
        if (name.startsWith("ft:")) {
            name = name.substring(3);
        }
        int slash = name.lastIndexOf('/');
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        for (String prefix : O200K_PREFIXES) {
            if (name.startsWith(prefix)) {
                return o200k;
            }
        }
        return cl100k;
    }
}
