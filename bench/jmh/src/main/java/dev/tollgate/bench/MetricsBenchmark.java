package dev.tollgate.bench;

import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.server.metrics.ProxyMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The metric update of one request: {@link ProxyMetrics#exchangeStarted} then
 * {@link ProxyMetrics#onExchange} against a {@link PrometheusMeterRegistry}, over 8 tenants x 4
 * models x stream or not, with one attribution tag. Meters already exist (steady state); the
 * registry is shared by all threads, as the server's is. One op = one request.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MetricsBenchmark {

    @State(Scope.Benchmark)
    public static class Shared {
        PrometheusMeterRegistry registry;
        ProxyMetrics metrics;
        ExchangeRecord[] records;

        @Setup(Level.Trial)
        public void setUp() {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics = new ProxyMetrics(registry, List.of("feature"), 200, List.of(Records.ROUTE));
            records = Records.mix();
            for (ExchangeRecord record : records) {
                metrics.exchangeStarted(Records.ROUTE);
                metrics.onExchange(record);
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            next = (int) Thread.currentThread().getId() * 17; // threads walk the mix from different places
        }
    }

    @Benchmark
    public void onExchange(Shared shared, Cursor cursor) {
        ExchangeRecord record = shared.records[cursor.next++ & (shared.records.length - 1)];
        shared.metrics.exchangeStarted(Records.ROUTE);
        shared.metrics.onExchange(record);
    }
}
