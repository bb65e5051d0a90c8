package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.core.usage.TokenUsage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven costs: each case names a builtin catalog model (or a GPU profile), a request time
 * and its tokens, and the USD per 1M token prices that must apply, copied by hand from
 * genai-prices 0.1.8. The expected cost is computed here with BigDecimal, independently of
 * Rates, CostCalculator and the catalog loader, and must match to 1e-9 USD.
 */
class CostTableTest {

    private static final BigDecimal ONE_NANO_USD = new BigDecimal("0.000000001");
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final String NOON = "2026-11-27T12:00:00Z";

    /** Prices in USD per 1M tokens that a case expects to apply. */
    record Usd(String input, String cachedInput, String cacheWrite5m, String cacheWrite1h, String output) {
        BigDecimal costOf(TokenUsage u) {
            return new BigDecimal(input).multiply(BigDecimal.valueOf(u.input()))
                    .add(new BigDecimal(cachedInput).multiply(BigDecimal.valueOf(u.cachedInput())))
                    .add(new BigDecimal(cacheWrite5m).multiply(BigDecimal.valueOf(u.cacheWrite5m())))
                    .add(new BigDecimal(cacheWrite1h).multiply(BigDecimal.valueOf(u.cacheWrite1h())))
                    .add(new BigDecimal(output).multiply(BigDecimal.valueOf(u.output())))
                    .divide(MILLION);
        }
    }

    /** One row: a model price, when, what was used, and the expected USD. */
    record Case(String label, ModelPrice price, Instant at, TokenUsage usage, BigDecimal expectedUsd) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // OpenAI
                cat("gpt-4o plain", "gpt-4o", NOON, TokenUsage.of(1_000, 500), usd("2.5", "1.25", "2.5", "2.5", "10")),
                cat("gpt-4o cached input", "gpt-4o", NOON, new TokenUsage(800, 1_200, 0, 0, 300),
                        usd("2.5", "1.25", "2.5", "2.5", "10")),
                cat("gpt-4o-mini cached", "gpt-4o-mini", NOON, new TokenUsage(12_345, 6_789, 0, 0, 1_011),
                        usd("0.15", "0.075", "0.15", "0.15", "0.6")),
                cat("gpt-5-nano 1M in", "gpt-5-nano", NOON, new TokenUsage(1_000_000, 250_000, 0, 0, 100_000),
                        usd("0.05", "0.005", "0.05", "0.05", "0.4")),
                cat("text-embedding-3-small", "text-embedding-3-small", NOON, TokenUsage.of(8_191, 0),
                        usd("0.02", "0.02", "0.02", "0.02", "0")),
                cat("o3 before its 2025-06-10 cut", "o3", "2025-06-09T23:59:59Z", TokenUsage.of(10_000, 5_000),
                        usd("10", "0.5", "10", "10", "40")),
                cat("o3 on the day of the cut", "o3", "2025-06-10T00:00:00Z", TokenUsage.of(10_000, 5_000),
                        usd("2", "0.5", "2", "2", "8")),
                cat("gpt-5.4 just below its tier", "gpt-5.4", NOON, new TokenUsage(200_000, 71_999, 0, 0, 1_000),
                        usd("2.5", "0.25", "2.5", "2.5", "15")),
                cat("gpt-5.4 at its tier (cached input counts)", "gpt-5.4", NOON,
                        new TokenUsage(200_000, 72_000, 0, 0, 1_000), usd("5", "0.5", "5", "5", "22.5")),
                cat("gpt-5.6-luna before its 2026-07-30 cut", "gpt-5.6-luna", "2026-07-29T23:00:00Z",
                        new TokenUsage(1_000, 2_000, 3_000, 0, 4_000), usd("1", "0.1", "1.25", "1.25", "6")),
                cat("gpt-5.6-luna tiered after the cut", "gpt-5.6-luna", NOON,
                        new TokenUsage(300_000, 0, 10_000, 0, 4_000), usd("0.4", "0.04", "0.5", "0.5", "1.8")),
                // Anthropic
                cat("claude-sonnet-4-5 5m and 1h cache writes", "claude-sonnet-4-5", NOON,
                        new TokenUsage(1_500, 20_000, 3_000, 4_000, 800), usd("3", "0.3", "3.75", "6", "15")),
                cat("claude-sonnet-4-5 at exactly 200k input: base", "claude-sonnet-4-5", NOON,
                        new TokenUsage(100_000, 50_000, 30_000, 20_000, 2_000), usd("3", "0.3", "3.75", "6", "15")),
                cat("claude-sonnet-4-5 at 200,001 input: long context", "claude-sonnet-4-5", NOON,
                        new TokenUsage(100_001, 50_000, 30_000, 20_000, 2_000), usd("6", "0.6", "7.5", "12", "22.5")),
                cat("claude-sonnet-4-6 long context before 2026-03-13", "claude-sonnet-4-6", "2026-03-12T23:59:59Z",
                        TokenUsage.of(300_000, 1_000), usd("6", "0.6", "7.5", "12", "22.5")),
                cat("claude-sonnet-4-6 flat 1M context from 2026-03-13", "claude-sonnet-4-6", "2026-03-13T00:00:00Z",
                        TokenUsage.of(300_000, 1_000), usd("3", "0.3", "3.75", "6", "15")),
                cat("claude-opus-4-1 cache writes", "claude-opus-4-1", NOON, new TokenUsage(10, 90_000, 5_000, 1_000, 700),
                        usd("15", "1.5", "18.75", "30", "75")),
                cat("claude-haiku-4-5", "claude-haiku-4-5", NOON, new TokenUsage(4_000, 1_000, 500, 250, 1_200),
                        usd("1", "0.1", "1.25", "2", "5")),
                cat("claude-3-5-haiku-latest", "claude-3-5-haiku-latest", NOON, new TokenUsage(999, 1, 2, 3, 4),
                        usd("0.8", "0.08", "1", "1.6", "4")),
                // Google
                cat("gemini-2.5-pro at exactly 200k: base", "gemini-2.5-pro", NOON, new TokenUsage(150_000, 50_000, 0, 0, 9_000),
                        usd("1.25", "0.125", "1.25", "1.25", "10")),
                cat("gemini-2.5-pro above 200k", "gemini-2.5-pro", NOON, new TokenUsage(150_001, 50_000, 0, 0, 9_000),
                        usd("2.5", "0.25", "2.5", "2.5", "15")),
                cat("gemini-2.5-flash", "gemini-2.5-flash", NOON, new TokenUsage(7_000, 3_000, 0, 0, 2_000),
                        usd("0.3", "0.03", "0.3", "0.3", "2.5")),
                cat("gemini-3.6-flash before its announced 2027 price", "gemini-3.6-flash", "2026-12-31T23:59:59Z",
                        TokenUsage.of(10_000, 10_000), usd("0.75", "0.075", "0.75", "0.75", "3.75")),
                cat("gemini-3.6-flash from 2027-01-01", "gemini-3.6-flash", "2027-01-01T00:00:00Z",
                        TokenUsage.of(10_000, 10_000), usd("1.5", "0.15", "1.5", "1.5", "7.5")),
                cat("gemini-embedding-001", "gemini-embedding-001", NOON, TokenUsage.of(2_048, 0),
                        usd("0.15", "0.15", "0.15", "0.15", "0")),
                // Mistral
                cat("mistral-large", "mistral-large", NOON, TokenUsage.of(3_333, 777), usd("2", "2", "2", "2", "6")),
                cat("mistral-medium-latest before 2026-06-16", "mistral-medium-latest", "2026-06-15T12:00:00Z",
                        new TokenUsage(5_000, 1_000, 0, 0, 1_000), usd("0.4", "0.04", "0.4", "0.4", "2")),
                cat("mistral-medium-latest from 2026-06-16", "mistral-medium-latest", "2026-06-16T00:00:01Z",
                        new TokenUsage(5_000, 1_000, 0, 0, 1_000), usd("1.5", "0.15", "1.5", "1.5", "7.5")),
                cat("mistral-embed", "mistral-embed", NOON, TokenUsage.of(1_234, 0), usd("0.1", "0.1", "0.1", "0.1", "0.1")),
                // DeepSeek: UTC hour windows
                cat("deepseek-chat off-peak 00:29:59", "deepseek-chat", "2026-11-27T00:29:59Z",
                        new TokenUsage(10_000, 5_000, 0, 0, 2_000), usd("0.135", "0.035", "0.135", "0.135", "0.55")),
                cat("deepseek-chat peak from 00:30", "deepseek-chat", "2026-11-27T00:30:00Z",
                        new TokenUsage(10_000, 5_000, 0, 0, 2_000), usd("0.27", "0.07", "0.27", "0.27", "1.1")),
                cat("deepseek-chat off-peak from 16:30", "deepseek-chat", "2026-11-27T16:30:00Z",
                        new TokenUsage(10_000, 5_000, 0, 0, 2_000), usd("0.135", "0.035", "0.135", "0.135", "0.55")),
                cat("deepseek-reasoner peak", "deepseek-reasoner", "2026-11-27T09:00:00Z", TokenUsage.of(1_000, 8_000),
                        usd("0.55", "0.14", "0.55", "0.55", "2.19")),
                cat("deepseek-v4-flash flat before 2026-08-17, even at 02:00", "deepseek-v4-flash", "2026-08-16T02:00:00Z",
                        new TokenUsage(4_000, 96_000, 0, 0, 3_000), usd("0.14", "0.0028", "0.14", "0.14", "0.28")),
                cat("deepseek-v4-flash peak 01:00-04:00 after 2026-08-17", "deepseek-v4-flash", "2026-08-20T02:00:00Z",
                        new TokenUsage(4_000, 96_000, 0, 0, 3_000), usd("0.44", "0.014", "0.44", "0.44", "1.32")),
                cat("deepseek-v4-flash off-peak 05:00", "deepseek-v4-flash", "2026-08-20T05:00:00Z",
                        new TokenUsage(4_000, 96_000, 0, 0, 3_000), usd("0.22", "0.007", "0.22", "0.22", "0.66")),
                cat("deepseek-v4-pro off-peak at 10:00 (window end is exclusive)", "deepseek-v4-pro", "2026-11-27T10:00:00Z",
                        new TokenUsage(7_777, 123_457, 0, 0, 999), usd("0.66", "0.022", "0.66", "0.66", "1.98")),
                cat("deepseek-v4-pro flat, 6-decimal cached price", "deepseek-v4-pro", "2026-05-01T12:00:00Z",
                        new TokenUsage(7_777, 123_457, 0, 0, 999), usd("0.435", "0.003625", "0.435", "0.435", "0.87")),
                // x-ai and Cohere
                cat("grok-4.3 below its tier", "grok-4.3", NOON, new TokenUsage(199_000, 999, 0, 0, 5_000),
                        usd("1.25", "0.2", "1.25", "1.25", "2.5")),
                cat("grok-4.3 at its tier", "grok-4.3", NOON, new TokenUsage(199_000, 1_000, 0, 0, 5_000),
                        usd("2.5", "0.4", "2.5", "2.5", "5")),
                cat("command-r7b", "command-r7b", NOON, TokenUsage.of(333_333, 33_333), usd("0.0375", "0.0375", "0.0375", "0.0375", "0.15")),
                // Large token counts, including past Long.MAX_VALUE femto-USD (BigInteger fallback)
                cat("gpt-4o 3.5M tokens", "gpt-4o", NOON, new TokenUsage(2_000_000, 1_000_000, 0, 0, 500_000),
                        usd("2.5", "1.25", "2.5", "2.5", "10")),
                cat("o1-pro 20M output: 12,000 USD, past 9.2e18 femto", "o1-pro", NOON, TokenUsage.of(1_000_000, 20_000_000),
                        usd("150", "150", "150", "150", "600")),
                cat("nothing used", "gpt-4o", NOON, TokenUsage.ZERO, usd("2.5", "1.25", "2.5", "2.5", "10")),
                // GPU profiles: gpu_hour_usd x gpus / 3600 / tokens_per_second per token, every type
                gpu("local-gpu 2.49 x1 @2400 t/s", "2.49", 1, 2_400, new TokenUsage(1_000, 0, 0, 0, 500)),
                gpu("8 GPUs 3.10 @5000 t/s, cached and cache writes too", "3.10", 8, 5_000,
                        new TokenUsage(600_000, 200_000, 100_000, 50_000, 50_000)),
                gpu("cheap GPU 0.39 x2 @97 t/s (non-terminating quotient)", "0.39", 2, 97, TokenUsage.of(123_456, 65_432)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void costMatchesTheDecimalReference(Case c) {
        long nano = CostCalculator.costNanoUsd(c.usage(), c.price(), c.at());

        BigDecimal actualUsd = BigDecimal.valueOf(nano, 9);
        assertThat(actualUsd).as(c.label()).isCloseTo(c.expectedUsd(), within(ONE_NANO_USD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void formattedCostIsTheRoundedNanoAmount(Case c) {
        long nano = CostCalculator.costNanoUsd(c.usage(), c.price(), c.at());

        assertThat(new BigDecimal(UsdFormat.nanoToDecimal(nano))).isEqualByComparingTo(BigDecimal.valueOf(nano, 9));
        assertThat(UsdFormat.nanoToDecimal(nano)).matches("\\d+\\.\\d{9}");
    }

    private static Case cat(String label, String model, String at, TokenUsage usage, Usd usd) {
        CatalogEntry entry = Catalog.builtin().find(model)
                .orElseThrow(() -> new AssertionError("builtin catalog has no " + model));
        return new Case(label + " [" + model + "]", entry.price(), Instant.parse(at), usage, usd.costOf(usage));
    }

    private static Case gpu(String label, String gpuHourUsd, int gpus, long tokensPerSecond, TokenUsage usage) {
        ModelPrice price = new GpuProfile(new BigDecimal(gpuHourUsd), gpus, tokensPerSecond).toModelPrice();
        long tokens = usage.totalInput() + usage.output();
        BigDecimal expected = new BigDecimal(gpuHourUsd).multiply(BigDecimal.valueOf(gpus)).multiply(BigDecimal.valueOf(tokens))
                .divide(BigDecimal.valueOf(3600L * tokensPerSecond), MathContext.DECIMAL128);
        return new Case("gpu " + label, price, Instant.parse(NOON), usage, expected);
    }

    private static Usd usd(String input, String cachedInput, String cacheWrite5m, String cacheWrite1h, String output) {
        return new Usd(input, cachedInput, cacheWrite5m, cacheWrite1h, output);
    }
}
