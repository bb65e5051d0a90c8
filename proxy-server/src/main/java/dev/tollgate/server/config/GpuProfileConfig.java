package dev.tollgate.server.config;

import java.math.BigDecimal;

/**
 * A self-hosted deployment priced by what its GPUs cost per second of sustained throughput:
 * USD per token = {@code gpuHourUsd × gpus / 3600 / tokensPerSecond}.
 *
 * @param gpuHourUsd USD per GPU hour, {@code > 0}, exactly as written
 * @param gpus GPUs of the deployment, {@code >= 1} (default 1)
 * @param tokensPerSecond sustained tokens per second of the whole deployment, {@code > 0}
 */
public record GpuProfileConfig(BigDecimal gpuHourUsd, int gpus, long tokensPerSecond) {

    public GpuProfileConfig {
        if (gpuHourUsd.signum() <= 0) {
            throw new IllegalArgumentException("gpuHourUsd: " + gpuHourUsd + " (expected: > 0)");
        }
        if (gpus < 1) {
            throw new IllegalArgumentException("gpus: " + gpus + " (expected: >= 1)");
        }
        if (tokensPerSecond <= 0) {
            throw new IllegalArgumentException("tokensPerSecond: " + tokensPerSecond + " (expected: > 0)");
        }
    }
}
