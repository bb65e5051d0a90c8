package dev.tollgate.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Pure CPU work with no shared state: how well two threads can scale on this machine right now.
 * On a shared or loaded machine it scales below 2x; the other benchmarks' scaling is read against it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BaselineBenchmark {

    @Benchmark
    public void cpuOnly() {
        Blackhole.consumeCPU(1_000);
    }
}
