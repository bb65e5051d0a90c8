package dev.tollgate.bench;

import dev.tollgate.core.pricing.Catalog;
import dev.tollgate.core.pricing.CostCalculator;
import dev.tollgate.core.pricing.PriceQuote;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.core.usage.TokenUsage;
import java.time.Instant;
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
 * Pricing one finished request: {@link PriceTable#resolve} of the billed model (the response's
 * dated name, resolved through the table's cache) and {@link CostCalculator#costNanoUsd}. The table
 * is shared by all threads, as the server's is. One op = one request.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CostBenchmark {

    /** Billed names as responses give them: exact, dated, and an alias. */
    static final String[] MODELS = {"gpt-4o-mini-2024-07-18", "gpt-4o", "claude-3-5-haiku-20241022", "gpt-4.1-mini-2025-04-14"};
    static final TokenUsage USAGE = new TokenUsage(1_200, 300, 0, 0, 48);
    static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    @State(Scope.Benchmark)
    public static class Table {
        PriceTable prices;

        @Setup(Level.Trial)
        public void setUp() {
            prices = PriceTable.builder().catalog(Catalog.builtin()).build();
            for (String model : MODELS) {
                PriceQuote quote = prices.resolve(model, null);
                if (!quote.priced()) {
                    throw new IllegalStateException("the builtin catalog does not price " + model);
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;

        String model() {
            return MODELS[next++ & (MODELS.length - 1)];
        }
    }

    @Benchmark
    public long resolveAndCost(Table table, Cursor cursor) {
        PriceQuote quote = table.prices.resolve(cursor.model(), null);
        return CostCalculator.costNanoUsd(USAGE, quote.price(), AT);
    }
}
