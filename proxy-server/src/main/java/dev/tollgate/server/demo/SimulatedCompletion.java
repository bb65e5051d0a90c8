package dev.tollgate.server.demo;

/**
 * What the simulated model "generates" for one request: derived from the request bytes alone, so a
 * given request always gets the same tokens and timing.
 *
 * @param inputTokens  about four bytes of body per token, as English text averages
 * @param cachedTokens a share of the input served from a prompt cache, for some requests
 * @param outputTokens between 40 and 400, capped by the request's max tokens
 * @param ttftMillis   time to the first token
 * @param tokenMillis  time between streamed tokens
 */
record SimulatedCompletion(long inputTokens, long cachedTokens, long outputTokens, long ttftMillis, long tokenMillis) {

    private static final String[] WORDS = {
        "The", " quarterly", " numbers", " show", " steady", " growth", ",", " with", " churn", " down", " and",
        " margins", " up", ".", " Costs", " per", " request", " fell", " after", " caching", " was", " enabled", "."
    };

    static SimulatedCompletion of(byte[] requestBody, long maxTokens) {
        long hash = fnv1a(requestBody);
        long input = Math.max(8, requestBody.length / 4);
        long cached = (hash & 3) == 0 ? input / 2 : 0;
        long output = 40 + Math.floorMod(hash >>> 8, 361);
        if (maxTokens > 0) {
            output = Math.min(output, maxTokens);
        }
        long ttft = 150 + Math.floorMod(hash >>> 20, 450);
        long perToken = 8 + Math.floorMod(hash >>> 32, 17);
        return new SimulatedCompletion(input, cached, output, ttft, perToken);
    }

    /** The text of output token {@code i}: one word each, so estimation and reports stay close. */
    static String token(long i) {
        return WORDS[(int) (i % WORDS.length)];
    }

    private static long fnv1a(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
