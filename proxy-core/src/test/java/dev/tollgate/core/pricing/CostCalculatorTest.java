package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.usage.TokenUsage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void roundsOnceHalfUpToNanoUsd() {
        assertThat(CostCalculator.costNanoUsd(TokenUsage.of(1, 0), Rates.uniform(499_999))).isZero();
        assertThat(CostCalculator.costNanoUsd(TokenUsage.of(1, 0), Rates.uniform(500_000))).isEqualTo(1);
        // Two half-nano token types add up before rounding: one nano, not two.
        assertThat(CostCalculator.costNanoUsd(TokenUsage.of(1, 1), Rates.uniform(500_000))).isEqualTo(1);
        assertThat(CostCalculator.costNanoUsd(TokenUsage.of(3, 0), Rates.uniform(500_000))).isEqualTo(2);
    }

    @Test
    void eachTokenTypePaysItsOwnRate() {
        Rates rates = new Rates(1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000); // 1..5 nano-USD per token
        TokenUsage usage = new TokenUsage(10_000, 1_000, 100, 10, 1);

        assertThat(CostCalculator.costNanoUsd(usage, rates)).isEqualTo(10_000 + 2_000 + 300 + 40 + 5);
        assertThat(CostCalculator.costFemtoUsd(usage, rates)).isEqualTo(12_345_000_000L);
    }

    @Test
    void sumsPastLongFemtoAreExactNotWrapped() {
        Rates rates = Rates.ofUsdPerMillion("600", "600"); // 6e11 femto-USD per token
        TokenUsage usage = TokenUsage.of(10_000_000, 10_000_000);
        BigInteger femto = BigInteger.valueOf(20_000_000).multiply(BigInteger.valueOf(600_000_000_000L));

        assertThat(femto).isGreaterThan(BigInteger.valueOf(Long.MAX_VALUE));
        assertThat(CostCalculator.costNanoUsd(usage, rates)).isEqualTo(12_000L * UsdFormat.NANO_PER_USD);
        assertThatThrownBy(() -> CostCalculator.costFemtoUsd(usage, rates)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void costsPastLongNanoThrowInsteadOfWrapping() {
        Rates rates = Rates.uniform(Long.MAX_VALUE);
        TokenUsage usage = TokenUsage.of(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2);

        assertThatThrownBy(() -> CostCalculator.costNanoUsd(usage, rates))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("nano-USD");
    }

    @Test
    void totalsOfManyRequestsEqualTheSumOfTheirCostsExactly() {
        List<ModelPrice> prices = List.of(
                Catalog.builtin().find("gpt-4o-mini").orElseThrow().price(),
                Catalog.builtin().find("claude-sonnet-4-5").orElseThrow().price(),
                Catalog.builtin().find("deepseek-v4-pro").orElseThrow().price(),
                Catalog.builtin().find("gemini-2.5-pro").orElseThrow().price(),
                new GpuProfile(new BigDecimal("2.49"), 1, 2400).toModelPrice());
        SplittableRandom random = new SplittableRandom(42);
        long totalNano = 0;
        BigDecimal totalDecimal = BigDecimal.ZERO;
        BigDecimal exactUnrounded = BigDecimal.ZERO;

        for (int i = 0; i < 20_000; i++) {
            ModelPrice price = prices.get(i % prices.size());
            TokenUsage usage = new TokenUsage(random.nextLong(300_000), random.nextLong(50_000), random.nextLong(5_000),
                    random.nextLong(5_000), random.nextLong(20_000));
            Instant at = AT.plusSeconds(random.nextLong(86_400));
            long nano = CostCalculator.costNanoUsd(usage, price, at);
            Rates rates = price.ratesFor(usage, at);
            BigDecimal exact = new BigDecimal(CostCalculator.costFemtoUsd(usage, rates)).movePointLeft(15);

            assertThat(BigDecimal.valueOf(nano, 9)).isEqualByComparingTo(exact.setScale(9, RoundingMode.HALF_UP));
            totalNano += nano;
            totalDecimal = totalDecimal.add(new BigDecimal(UsdFormat.nanoToDecimal(nano)));
            exactUnrounded = exactUnrounded.add(exact);
        }

        assertThat(UsdFormat.nanoToDecimal(totalNano)).isEqualTo(totalDecimal.toPlainString());
        // Rounding each request moves the total by at most half a nano-USD per request.
        assertThat(BigDecimal.valueOf(totalNano, 9).subtract(exactUnrounded).abs())
                .isLessThanOrEqualTo(new BigDecimal("0.0000000005").multiply(BigDecimal.valueOf(20_000)));
    }
}
