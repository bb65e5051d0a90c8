package dev.tollgate.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.pricing.CostCalculator;
import dev.tollgate.core.pricing.ModelPrice;
import dev.tollgate.core.pricing.Rates;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.core.usage.TextSample;
import dev.tollgate.core.usage.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class CostBoundTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");
    /** gpt-4o-mini: 0.15 in, 0.075 cached, 0.60 out per 1M tokens. */
    private static final ModelPrice MINI = ModelPrice.of(Rates.ofUsdPerMillion("0.15", "0.60"));

    @Test
    void boundsInputByBodyBytesAndOutputByTheLimit() {
        // 1000 bytes at 0.15/M + 200 tokens at 0.60/M = 150_000 + 120_000 nano-USD
        assertThat(CostBound.defaults().nanoUsd(MINI, AT, Endpoint.CHAT_COMPLETIONS, 1_000, facts(200, 1)))
                .isEqualTo(270_000);
    }

    @Test
    void multipliesTheOutputLimitByTheCompletionsAskedFor() {
        assertThat(CostBound.defaults().outputTokens(Endpoint.CHAT_COMPLETIONS, facts(200, 3))).isEqualTo(600);
        assertThat(CostBound.defaults().outputTokens(Endpoint.CHAT_COMPLETIONS, facts(Long.MAX_VALUE / 2, 128)))
                .as("saturates").isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void assumesTheDefaultAllowanceWithoutALimitAndNoOutputForEmbeddings() {
        assertThat(CostBound.defaults().outputTokens(Endpoint.MESSAGES, facts(-1, 1))).isEqualTo(CostBound.DEFAULT_MAX_OUTPUT_TOKENS);
        assertThat(new CostBound(100).outputTokens(Endpoint.RESPONSES, facts(-1, 2))).isEqualTo(200);
        assertThat(CostBound.defaults().outputTokens(Endpoint.EMBEDDINGS, facts(-1, 1))).isZero();
        assertThat(CostBound.defaults().outputTokens(Endpoint.OLLAMA_EMBED, facts(-1, 1))).isZero();
        assertThatThrownBy(() -> new CostBound(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pricesEveryInputTokenAtTheDearestInputRate() {
        // Claude-like: cache writes (1h) cost twice the input price.
        ModelPrice sonnet = ModelPrice.of(Rates.ofUsdPerMillion(new BigDecimal("3"), new BigDecimal("0.30"),
                new BigDecimal("3.75"), new BigDecimal("6"), new BigDecimal("15")));
        long bound = CostBound.defaults().nanoUsd(sonnet, AT, 1_000, 100);
        assertThat(bound).isEqualTo(1_000 * 6_000L + 100 * 15_000L);

        // Whatever the split of those 1000 input tokens, the actual cost stays within the bound.
        for (TokenUsage actual : new TokenUsage[] {
            new TokenUsage(1_000, 0, 0, 0, 100), new TokenUsage(0, 1_000, 0, 0, 100),
            new TokenUsage(0, 0, 1_000, 0, 100), new TokenUsage(0, 0, 0, 1_000, 100), new TokenUsage(10, 20, 30, 940, 100)}) {
            assertThat(CostCalculator.costNanoUsd(actual, sonnet, AT)).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void usesTheTierTheInputBoundReachesAndTheRatesOfTheRequestsTime() {
        ModelPrice tiered = ModelPrice.builder(Rates.ofUsdPerMillion("1", "2"))
                .tier(1_000, Rates.ofUsdPerMillion("10", "20"))
                .hours(LocalTime.of(16, 0), LocalTime.of(0, 0), ModelPrice.of(Rates.ofUsdPerMillion("100", "200")))
                .build();
        assertThat(CostBound.defaults().nanoUsd(tiered, AT, 999, 10)).isEqualTo(999 * 1_000L + 10 * 2_000L);
        assertThat(CostBound.defaults().nanoUsd(tiered, AT, 1_000, 10)).isEqualTo(1_000 * 10_000L + 10 * 20_000L);
        assertThat(CostBound.defaults().nanoUsd(tiered, Instant.parse("2026-11-27T17:00:00Z"), 1, 1))
                .as("peak hours").isEqualTo(100_000L + 200_000L);
    }

    @Test
    void aBoundTooLargeForALongIsTheLargestLong() {
        ModelPrice dear = ModelPrice.of(Rates.ofUsdPerMillion("9000000", "9000000"));
        assertThat(CostBound.defaults().nanoUsd(dear, AT, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4)).isEqualTo(Long.MAX_VALUE);
    }

    private static RequestFacts facts(long maxOutputTokens, long choices) {
        return new RequestFacts("gpt-4o-mini", false, maxOutputTokens, choices, null, new TextSample());
    }
}
