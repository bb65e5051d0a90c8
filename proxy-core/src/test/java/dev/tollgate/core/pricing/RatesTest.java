package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RatesTest {

    @Test
    void convertsUsdPerMillionToFemtoPerTokenExactly() {
        assertThat(Rates.femtoUsdPerToken("input", new BigDecimal("2.5"))).isEqualTo(2_500_000_000L);
        assertThat(Rates.femtoUsdPerToken("input", new BigDecimal("0.000000001"))).isEqualTo(1L);
        assertThat(Rates.femtoUsdPerToken("input", new BigDecimal("0.003625"))).isEqualTo(3_625_000L);
        assertThat(Rates.femtoUsdPerToken("input", new BigDecimal("1.500000000000"))).isEqualTo(1_500_000_000L);
        assertThat(Rates.femtoUsdPerToken("input", new BigDecimal("1E+3"))).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void appliesContractDefaults() {
        Rates onlyInput = Rates.ofUsdPerMillion(new BigDecimal("3"), null, null, null, new BigDecimal("15"));
        Rates withWrite = Rates.ofUsdPerMillion(new BigDecimal("3"), new BigDecimal("0.3"), new BigDecimal("3.75"), null,
                new BigDecimal("15"));

        assertThat(onlyInput).isEqualTo(new Rates(3_000_000_000L, 3_000_000_000L, 3_000_000_000L, 3_000_000_000L,
                15_000_000_000L));
        assertThat(withWrite).isEqualTo(new Rates(3_000_000_000L, 300_000_000L, 3_750_000_000L, 3_750_000_000L,
                15_000_000_000L));
    }

    @Test
    void refusesMorePrecisionNamingFieldAndValue() {
        assertThatThrownBy(() -> Rates.ofUsdPerMillion(BigDecimal.ONE, new BigDecimal("0.0000000005"), null, null,
                BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cached_input: 0.0000000005 USD per 1M tokens has more than 9 decimal places");
    }

    @Test
    void refusesNegativeAndHugePrices() {
        assertThatThrownBy(() -> Rates.ofUsdPerMillion("-1", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("input: -1 USD per 1M tokens");
        assertThatThrownBy(() -> Rates.ofUsdPerMillion("1", "10000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("output: 10000000000 USD");
        assertThatThrownBy(() -> new Rates(1, 1, 1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
