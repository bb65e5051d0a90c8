package dev.tollgate.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenEstimatorTest {

    private static final TokenEstimator ESTIMATOR = new TokenEstimator();
    private static final EncodingRegistry JTOKKIT = Encodings.newLazyEncodingRegistry();

    @ParameterizedTest
    @CsvSource({
        "gpt-4o, o200k_base", "gpt-4o-mini-2024-07-18, o200k_base", "gpt-4.1-nano, o200k_base",
        "gpt-4.5-preview, o200k_base", "gpt-5, o200k_base", "gpt-5-mini, o200k_base", "o1, o200k_base",
        "o1-mini, o200k_base", "o3-mini-2025-01-31, o200k_base", "o4-mini, o200k_base",
        "chatgpt-4o-latest, o200k_base", "GPT-4O, o200k_base", "openai/gpt-4o, o200k_base",
        "ft:gpt-4o-mini-2024-07-18:acme::abc123, o200k_base",
        "gpt-4, cl100k_base", "gpt-4-turbo, cl100k_base", "gpt-4-0613, cl100k_base", "gpt-3.5-turbo, cl100k_base",
        "text-embedding-3-small, cl100k_base", "text-embedding-ada-002, cl100k_base",
        "claude-sonnet-4-5, cl100k_base", "llama3.2, cl100k_base", "meta-llama/Llama-3.1-8B-Instruct, cl100k_base",
        "omni-moderation-latest, cl100k_base",
    })
    void choosesTheModelsEncoding(String model, String encoding) {
        assertThat(ESTIMATOR.encodingName(model)).isEqualTo(encoding);
    }

    @Test
    void noModelUsesTheFallback() {
        assertThat(ESTIMATOR.encodingName(null)).isEqualTo("cl100k_base");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpt-4o|Hello, world! How are you today?",
        "gpt-4|Hello, world! How are you today?",
        "o3-mini|Ünïcödé — 日本語のテキスト 😀",
        "llama3|def f(x):\n    return x * 2\n",
        "gpt-4o|<|endoftext|> special tokens count as text",
    })
    void smallTextsCountExactlyAsJtokkit(String model, String text) {
        TextSample sample = new TextSample();
        sample.append(text);
        EncodingType type = ESTIMATOR.encodingName(model).equals("o200k_base") ? EncodingType.O200K_BASE
                : EncodingType.CL100K_BASE;

        assertThat(ESTIMATOR.countTokens(model, sample))
                .isEqualTo(JTOKKIT.getEncoding(type).countTokensOrdinary(text));
    }

    @Test
    void bigTextsAreScaledFromTheirSample() {
        TextSample sample = new TextSample(1000);
        String sentence = "The quick brown fox jumps over the lazy dog. ";
        for (int i = 0; i < 2000; i++) {
            sample.append(sentence);
        }
        long sampleTokens = JTOKKIT.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(sample.text());
        long exact = JTOKKIT.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(sentence.repeat(2000));

        long estimated = ESTIMATOR.countTokens("gpt-4o", sample);

        assertThat(estimated).isEqualTo(Math.round((double) sampleTokens * sample.totalBytes() / sample.sampledBytes()));
        assertThat((double) estimated).isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(2));
    }

    @Test
    void scalingRoundsHalfUp() {
        assertThat(TokenEstimator.scale(3, 10, 4)).isEqualTo(8);   // 7.5
        assertThat(TokenEstimator.scale(1, 10, 4)).isEqualTo(3);   // 2.5
        assertThat(TokenEstimator.scale(1, 9, 4)).isEqualTo(2);    // 2.25
        assertThat(TokenEstimator.scale(7, 7, 7)).isEqualTo(7);
        assertThat(TokenEstimator.scale(2000, 10_000_000_000L, 8192)).isEqualTo(2_441_406_250L);
    }

    @Test
    void estimateSplitsPromptAndOutput() {
        TextSample prompt = new TextSample();
        prompt.append("What is the capital of France?");
        TextSample output = new TextSample();
        output.append("Paris.");

        TokenUsage usage = ESTIMATOR.estimate("gpt-4o-mini", prompt, output);

        assertThat(usage).isEqualTo(TokenUsage.of(ESTIMATOR.countTokens("gpt-4o-mini", prompt),
                ESTIMATOR.countTokens("gpt-4o-mini", output)));
        assertThat(usage.input()).isPositive();
        assertThat(usage.output()).isPositive();
        assertThat(ESTIMATOR.estimate(null, new TextSample(), new TextSample())).isEqualTo(TokenUsage.ZERO);
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        TextSample sample = new TextSample();
        sample.append("Concurrency is not parallelism. ".repeat(50));
        long expected = ESTIMATOR.countTokens("gpt-4o", sample);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Long>> counts = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                counts.add(pool.submit(() -> ESTIMATOR.countTokens("gpt-4o", sample)));
            }
            for (java.util.concurrent.Future<Long> count : counts) {
                assertThat(count.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
