package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UsdFormatTest {

    @ParameterizedTest
    @CsvSource({
        "0,                   0.000000000",
        "123456,              0.000123456",
        "1,                   0.000000001",
        "1500000000,          1.500000000",
        "-1,                  -0.000000001",
        "9223372036854775807, 9223372036.854775807",
    })
    void nanoToDecimalHasNinePlaces(long nano, String text) {
        assertThat(UsdFormat.nanoToDecimal(nano)).isEqualTo(text);
        assertThat(UsdFormat.usdToNano(new BigDecimal(text))).isEqualTo(nano);
    }

    @Test
    void nanoToDoubleIsTheNearestDouble() {
        assertThat(UsdFormat.nanoToDouble(123_456)).isEqualTo(0.000123456);
        assertThat(UsdFormat.nanoToDouble(12_000_000_000_000L)).isEqualTo(12_000.0);
    }

    @Test
    void usdToNanoRefusesMorePrecision() {
        assertThatThrownBy(() -> UsdFormat.usdToNano(new BigDecimal("0.0000000001")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0000000001");
        assertThat(UsdFormat.usdToNano(new BigDecimal("500"))).isEqualTo(500_000_000_000L);
    }

    @ParameterizedTest
    @CsvSource({"150000000, 0.15", "2500000000, 2.5", "1, 0.000000001", "0, 0", "600000000000, 600"})
    void femtoPerTokenPrintsAsUsdPerMillion(long femto, String usd) {
        assertThat(UsdFormat.femtoPerTokenToUsdPerMillion(femto)).isEqualTo(usd);
    }
}
