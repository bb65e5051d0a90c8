package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.usage.TokenUsage;
import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelPriceTest {

    private static final Rates ONE = Rates.ofUsdPerMillion("1", "1");
    private static final Rates TWO = Rates.ofUsdPerMillion("2", "2");
    private static final Rates THREE = Rates.ofUsdPerMillion("3", "3");
    private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    @ParameterizedTest
    @CsvSource({"0, 1", "99999, 1", "100000, 2", "199999, 2", "200000, 3", "9000000000, 3"})
    void highestReachedTierPricesTheWholeRequest(long totalInput, String usd) {
        ModelPrice price = ModelPrice.builder(ONE).tier(200_000, THREE).tier(100_000, TWO).build();

        assertThat(price.ratesFor(new TokenUsage(totalInput, 0, 0, 0, 5), AT)).isEqualTo(Rates.ofUsdPerMillion(usd, usd));
    }

    @Test
    void tiersCountEveryKindOfInputButNotOutput() {
        ModelPrice price = ModelPrice.builder(ONE).tier(100, TWO).build();

        assertThat(price.ratesFor(new TokenUsage(25, 25, 25, 25, 1_000), AT)).isEqualTo(TWO);
        assertThat(price.ratesFor(new TokenUsage(25, 25, 25, 24, 1_000), AT)).isEqualTo(ONE);
    }

    @Test
    void changesAndWindowsFollowTheClock() {
        ModelPrice price = ModelPrice.builder(ONE)
                .change(Instant.parse("2027-01-01T00:00:00Z"), ModelPrice.builder(TWO)
                        .hours(LocalTime.of(1, 0), LocalTime.of(4, 0), ModelPrice.of(THREE)).build())
                .build();

        assertThat(price.ratesFor(TokenUsage.ZERO, Instant.parse("2026-12-31T02:00:00Z"))).isEqualTo(ONE);
        assertThat(price.ratesFor(TokenUsage.ZERO, Instant.parse("2027-01-01T00:59:59Z"))).isEqualTo(TWO);
        assertThat(price.ratesFor(TokenUsage.ZERO, Instant.parse("2027-01-01T01:00:00Z"))).isEqualTo(THREE);
        assertThat(price.ratesFor(TokenUsage.ZERO, Instant.parse("2027-01-01T03:59:59.999Z"))).isEqualTo(THREE);
        assertThat(price.ratesFor(TokenUsage.ZERO, Instant.parse("2027-01-01T04:00:00Z"))).isEqualTo(TWO);
        assertThat(price.ratesFor(TokenUsage.ZERO, Instant.parse("1969-12-31T02:00:00Z"))).isEqualTo(ONE);
        assertThat(price.baseRates()).isEqualTo(ONE);
        assertThat(price.isTimeIndependent()).isFalse();
    }

    @Test
    void equalPricesAreEqual() {
        assertThat(ModelPrice.builder(ONE).tier(10, TWO).build()).isEqualTo(ModelPrice.builder(ONE).tier(10, TWO).build())
                .hasSameHashCodeAs(ModelPrice.builder(ONE).tier(10, TWO).build());
        assertThat(ModelPrice.of(ONE)).isNotEqualTo(ModelPrice.of(TWO));
    }

    @Test
    void describesItselfInUsdPerMillion() {
        ModelPrice deepseek = Catalog.builtin().find("deepseek-chat").orElseThrow().price();

        assertThat(deepseek.toString()).isEqualTo("ModelPrice[in 0.135, cached 0.035, write 0.135, write_1h 0.135, out 0.55"
                + "; hours 00:30-16:30 UTC: in 0.27, cached 0.07, write 0.27, write_1h 0.27, out 1.1]");
        assertThat(Catalog.builtin().find("claude-sonnet-4-6").orElseThrow().price().toString())
                .contains("; from 200001 input tokens: in 6, cached 0.6, write 7.5, write_1h 12, out 22.5")
                .contains("; from 2026-03-13T00:00:00Z: in 3, cached 0.3, write 3.75, write_1h 6, out 15]");
    }

    @Test
    void builderRefusesAmbiguity() {
        ModelPrice dated = ModelPrice.builder(ONE).change(AT, ModelPrice.of(TWO)).build();

        assertThatThrownBy(() -> ModelPrice.builder(ONE).tier(0, TWO)).hasMessageStartingWith("fromInputTokens: 0");
        assertThatThrownBy(() -> ModelPrice.builder(ONE).tier(5, TWO).tier(5, THREE)).hasMessageContaining("one tier per start");
        assertThatThrownBy(() -> ModelPrice.builder(ONE).change(AT, ModelPrice.of(TWO)).change(AT, ModelPrice.of(THREE)))
                .hasMessageContaining("one change per start");
        assertThatThrownBy(() -> ModelPrice.builder(ONE).change(AT, dated)).hasMessageContaining("without dated changes");
        assertThatThrownBy(() -> ModelPrice.builder(ONE).hours(LocalTime.NOON, LocalTime.NOON, ModelPrice.of(TWO)))
                .hasMessageContaining("different times");
        ModelPrice windowed = ModelPrice.builder(ONE).hours(LocalTime.MIDNIGHT, LocalTime.NOON, ModelPrice.of(TWO)).build();
        assertThatThrownBy(() -> ModelPrice.builder(ONE).hours(LocalTime.NOON, LocalTime.MIDNIGHT, windowed))
                .hasMessageContaining("without hour windows");
    }
}
