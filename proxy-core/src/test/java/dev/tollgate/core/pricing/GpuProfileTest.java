package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.usage.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GpuProfileTest {

    @Test
    void pricesEveryTokenTheSame() {
        GpuProfile profile = new GpuProfile(new BigDecimal("2.49"), 1, 2400);

        // 2.49 / 3600 / 2400 USD = 2.881944...e-7 USD = 288,194,444.4 femto-USD per token
        assertThat(profile.femtoUsdPerToken()).isEqualTo(288_194_444L);
        assertThat(profile.toModelPrice().ratesFor(TokenUsage.ZERO, Instant.EPOCH)).isEqualTo(Rates.uniform(288_194_444L));
        assertThat(profile.toModelPrice().isTimeIndependent()).isTrue();
    }

    @Test
    void scalesWithGpusAndRoundsHalfUp() {
        assertThat(new GpuProfile(new BigDecimal("2.49"), 4, 2400).femtoUsdPerToken()).isEqualTo(1_152_777_778L);
        // 1.8e-12 USD per hour / 3600 s = 0.5 femto-USD per token: rounds up
        assertThat(new GpuProfile(new BigDecimal("0.0000000000018"), 1, 1).femtoUsdPerToken()).isEqualTo(1L);
        assertThat(new GpuProfile(new BigDecimal("0.0000000000017"), 1, 1).femtoUsdPerToken()).isZero();
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> new GpuProfile(new BigDecimal("-1"), 1, 1)).hasMessageStartingWith("gpu_hour_usd: -1");
        assertThatThrownBy(() -> new GpuProfile(BigDecimal.ONE, 0, 1)).hasMessageStartingWith("gpus: 0");
        assertThatThrownBy(() -> new GpuProfile(BigDecimal.ONE, 1, 0)).hasMessageStartingWith("tokens_per_second: 0");
    }
}
