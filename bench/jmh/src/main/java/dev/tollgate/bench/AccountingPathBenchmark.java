package dev.tollgate.bench;

import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.Catalog;
import dev.tollgate.core.pricing.CostCalculator;
import dev.tollgate.core.pricing.PriceQuote;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.MalformedRequestException;
import dev.tollgate.core.usage.ParsedUsage;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.core.usage.RequestInspector;
import dev.tollgate.server.buffer.HeapCopy;
import dev.tollgate.server.metrics.ProxyMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole accounting path of one streamed OpenAI chat request, without the network: inspect the
 * request body, frame and parse the response stream (one chunk per event, usage-only chunk
 * filtered), price the billed model, compute the cost, build the record and update the metrics.
 * This is the work Tollgate adds per request on top of relaying bytes. One op = one request.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AccountingPathBenchmark {

    private static final HeapCopy COPY = new HeapCopy();

    private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    @State(Scope.Benchmark)
    public static class Shared {
        PriceTable prices;
        ProxyMetrics metrics;

        @Setup(Level.Trial)
        public void setUp() {
            prices = PriceTable.builder().catalog(Catalog.builtin()).build();
            metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of("feature"), 200,
                    List.of(Records.ROUTE));
        }
    }

    @State(Scope.Thread)
    public static class Bodies {
        final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        ByteBuf request;
        ByteBuf[] response;
        int n;

        @Setup(Level.Trial)
        public void setUp() {
            request = Payloads.direct(Payloads.bytes("chat-request-stream.json"));
            response = Payloads.sseChunks(Payloads.bytes("chat-stream.sse"), "event", alloc);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Payloads.release(response);
        }
    }

    @Benchmark
    public ExchangeRecord streamedChatRequest(Shared shared, Bodies bodies) throws MalformedRequestException {
        RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true,
                bodies.request.readableBytes());
        inspector.onBytes(COPY.of(bodies.request));
        RequestFacts facts = inspector.finish();
        shared.metrics.exchangeStarted(Records.ROUTE);

        ParsedUsage parsed = ResponseTaps.sse(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, facts.usageInjection() != null,
                bodies.response, bodies.alloc);

        String billed = parsed.model() != null ? parsed.model() : facts.model();
        PriceQuote quote = shared.prices.resolve(billed, null);
        long cost = quote.price() == null ? 0 : CostCalculator.costNanoUsd(parsed.reported(), quote.price(), AT);
        int n = bodies.n++;
        ExchangeRecord record = new ExchangeRecord("req-" + n, AT, AT.plusMillis(850),
                TenantId.of(Records.TENANTS[n & (Records.TENANTS.length - 1)]), Map.of("feature", "search"),
                Records.ROUTE.prefix(), ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, facts.model(), billed, facts.stream(),
                200, Outcome.OK, parsed.reported(), false, cost, quote.source(), 180_000_000L, 850_000_000L, 840_000_000L,
                45_000L);
        shared.metrics.onExchange(record);
        return record;
    }
}
