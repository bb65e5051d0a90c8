package dev.tollgate.core.usage;

/**
 * Tokens of one request, split into disjoint types so that a cost is a plain sum of
 * {@code tokens[type] * price[type]}. Provider totals that include other counts (OpenAI's
 * {@code prompt_tokens} includes cached tokens) are already taken apart here.
 *
 * @param input        uncached input tokens
 * @param cachedInput  input tokens read from a prompt cache
 * @param cacheWrite5m input tokens written to a 5-minute (default) prompt cache
 * @param cacheWrite1h input tokens written to a 1-hour prompt cache
 * @param output       output tokens, reasoning included
 */
public record TokenUsage(long input, long cachedInput, long cacheWrite5m, long cacheWrite1h, long output) {

    /** No tokens at all. */
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage {
        if (input < 0 || cachedInput < 0 || cacheWrite5m < 0 || cacheWrite1h < 0 || output < 0) {
            throw new IllegalArgumentException("token counts must be >= 0: " + input + ", " + cachedInput
                    + ", " + cacheWrite5m + ", " + cacheWrite1h + ", " + output);
        }
    }

    /** Plain input and output tokens, no caching. */
    public static TokenUsage of(long input, long output) {
        return new TokenUsage(input, 0, 0, 0, output);
    }

    /** All cache writes, whatever their lifetime: the {@code cache_write} token type. */
    public long cacheWrite() {
        return cacheWrite5m + cacheWrite1h;
    }

    /** Every input token however billed (uncached + cached + cache writes): what price tiers look at. */
    public long totalInput() {
        return input + cachedInput + cacheWrite5m + cacheWrite1h;
    }

    /** The count of one token type. */
    public long get(TokenType type) {
        return switch (type) {
            case INPUT -> input;
            case CACHED_INPUT -> cachedInput;
            case CACHE_WRITE -> cacheWrite();
            case OUTPUT -> output;
        };
    }
}
