package dev.tollgate.core.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A self-hosted deployment priced by what its GPUs cost per second of sustained throughput
 * ({@code pricing.profiles} in the config): every token, input or output, cached or not, costs
 * {@code gpuHourUsd × gpus / 3600 / tokensPerSecond} USD.
 *
 * <p>That quotient rarely ends; {@link #femtoUsdPerToken()} rounds it half up to a whole femto-USD
 * (1e-15 USD) per token. The rounding error is at most 0.5e-15 USD per token: at most 1e-9 USD (one
 * nano-USD, the unit of costs) for any request of up to 2 million tokens, and 0.0000005 USD per
 * billion tokens.
 *
 * <pre>{@code
 * GpuProfile localGpu = new GpuProfile(new BigDecimal("2.49"), 1, 2400);
 * localGpu.femtoUsdPerToken(); // 288_194_444 (2.49 / 3600 / 2400 USD = 2.88194444...e-7)
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param gpuHourUsd      USD per GPU hour, {@code >= 0}, exact decimal
 * @param gpus            GPUs serving the deployment, {@code >= 1}
 * @param tokensPerSecond sustained tokens per second of the whole deployment, {@code > 0}
 */
public record GpuProfile(BigDecimal gpuHourUsd, int gpus, long tokensPerSecond) {

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    /** Validates every component. */
    public GpuProfile {
        Objects.requireNonNull(gpuHourUsd, "gpuHourUsd");
        if (gpuHourUsd.signum() < 0) {
            throw new IllegalArgumentException("gpu_hour_usd: " + gpuHourUsd.toPlainString() + " (expected: >= 0)");
        }
        if (gpus < 1) {
            throw new IllegalArgumentException("gpus: " + gpus + " (expected: >= 1)");
        }
        if (tokensPerSecond <= 0) {
            throw new IllegalArgumentException("tokens_per_second: " + tokensPerSecond + " (expected: > 0)");
        }
    }

    /**
     * USD per token in femto-USD, rounded half up: {@code gpuHourUsd × gpus × 1e15 / (3600 × tokensPerSecond)}.
     *
     * @throws IllegalArgumentException when that exceeds {@link Long#MAX_VALUE} femto-USD per token
     */
    public long femtoUsdPerToken() {
        BigDecimal femto = gpuHourUsd.multiply(BigDecimal.valueOf(gpus)).movePointRight(15)
                .divide(SECONDS_PER_HOUR.multiply(BigDecimal.valueOf(tokensPerSecond)), 0, RoundingMode.HALF_UP);
        try {
            return femto.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("gpu profile: " + this + " costs " + femto.toPlainString()
                    + " femto-USD per token (expected: <= " + Long.MAX_VALUE + ")", e);
        }
    }

    /** The price every token of a route with this profile pays, the same for every token type and time. */
    public ModelPrice toModelPrice() {
        return ModelPrice.of(Rates.uniform(femtoUsdPerToken()));
    }
}
