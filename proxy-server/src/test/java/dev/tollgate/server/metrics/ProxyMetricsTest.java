package dev.tollgate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.PriceSource;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.TokenUsage;
import dev.tollgate.server.route.Route;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

    static final Route OPENAI = new Route("/openai", ProviderKind.OPENAI, "127.0.0.1", 1, false, "127.0.0.1:1", "",
            null, null, true);
    static final Route OTHER_OPENAI = new Route("/openai-eu", ProviderKind.OPENAI, "127.0.0.1", 2, false, "127.0.0.1:2", "",
            null, null, true);
    static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final ProxyMetrics metrics = new ProxyMetrics(registry, List.of("feature"), 200, List.of(OPENAI, OTHER_OPENAI));

    @Test
    void eachStatusCodeOfOneLabelSetCountsOnItsOwn() {
        record(OPENAI, "acme", 200, Outcome.OK, false, TokenUsage.of(10, 2), PriceSource.CATALOG);
        record(OPENAI, "acme", 200, Outcome.OK, false, TokenUsage.of(10, 2), PriceSource.CATALOG);
        record(OPENAI, "acme", 500, Outcome.UPSTREAM_ERROR, false, TokenUsage.ZERO, PriceSource.CATALOG);
        record(OPENAI, "acme", 429, Outcome.REJECTED, false, TokenUsage.ZERO, PriceSource.NONE);

        assertThat(scrape()).contains(
                "tollgate_requests_total{code=\"200\",feature=\"search\",model=\"gpt-4o\",provider=\"openai\",route=\"/openai\",tenant=\"acme\"} 2.0",
                "tollgate_requests_total{code=\"500\",feature=\"search\",model=\"gpt-4o\",provider=\"openai\",route=\"/openai\",tenant=\"acme\"} 1.0",
                "tollgate_requests_total{code=\"429\",feature=\"search\",model=\"gpt-4o\",provider=\"openai\",route=\"/openai\",tenant=\"acme\"} 1.0",
                "tollgate_requests_rejected_total{reason=\"budget\",tenant=\"acme\"} 1.0",
                "tollgate_inflight_requests{route=\"/openai\"} 0.0");
    }

    @Test
    void metersAppearOnlyWhenARequestNeedsThem() {
        record(OPENAI, "acme", 200, Outcome.OK, false, TokenUsage.ZERO, PriceSource.CATALOG);

        assertThat(scrape())
                .contains("tollgate_request_duration_seconds_count{model=\"gpt-4o\",provider=\"openai\",route=\"/openai\"} 1")
                .doesNotContain("tollgate_time_to_first_token_seconds_count", "tollgate_cost_usd_total", "tollgate_tokens_total",
                        "tollgate_unpriced_requests_total", "tollgate_requests_rejected_total{");

        record(OPENAI, "acme", 200, Outcome.OK, true, TokenUsage.of(10, 2), PriceSource.NONE);

        assertThat(scrape()).contains(
                "tollgate_request_duration_seconds_count{model=\"gpt-4o\",provider=\"openai\",route=\"/openai\"} 2",
                "tollgate_time_to_first_token_seconds_count{model=\"gpt-4o\",provider=\"openai\"} 1",
                "tollgate_tokens_total{feature=\"search\",model=\"gpt-4o\",provider=\"openai\",source=\"reported\",tenant=\"acme\",token_type=\"input\"} 10.0",
                "tollgate_unpriced_requests_total{model=\"gpt-4o\",provider=\"openai\"} 1.0");
    }

    @Test
    void routesShareTheMetersWithoutARouteLabel() {
        record(OPENAI, "acme", 200, Outcome.OK, true, TokenUsage.of(10, 2), PriceSource.CATALOG);
        record(OTHER_OPENAI, "acme", 200, Outcome.OK, true, TokenUsage.of(5, 1), PriceSource.CATALOG);

        assertThat(scrape()).contains(
                "tollgate_requests_total{code=\"200\",feature=\"search\",model=\"gpt-4o\",provider=\"openai\",route=\"/openai-eu\",tenant=\"acme\"} 1.0",
                "tollgate_tokens_total{feature=\"search\",model=\"gpt-4o\",provider=\"openai\",source=\"reported\",tenant=\"acme\",token_type=\"input\"} 15.0",
                "tollgate_time_to_first_token_seconds_count{model=\"gpt-4o\",provider=\"openai\"} 2",
                "tollgate_request_duration_seconds_count{model=\"gpt-4o\",provider=\"openai\",route=\"/openai-eu\"} 1");
    }

    @Test
    void threadsRacingOnNewStatusCodesLoseNoCount() throws InterruptedException {
        int threads = 4;
        int perThread = 2_000;
        int[] codes = {200, 201, 400, 404, 429, 500, 502, 503};
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    record(OPENAI, "acme", codes[(i + offset) % codes.length], Outcome.OK, false, TokenUsage.ZERO,
                            PriceSource.CATALOG);
                }
            });
            worker.start();
            workers.add(worker);
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }

        double total = registry.find("tollgate.requests").counters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(total).isEqualTo(threads * perThread);
        assertThat(registry.find("tollgate.requests").counters()).hasSize(codes.length);
    }

    private void record(Route route, String tenant, int code, Outcome outcome, boolean stream, TokenUsage usage,
            PriceSource price) {
        metrics.exchangeStarted(route);
        metrics.onExchange(new ExchangeRecord("req", START, START.plusMillis(800), TenantId.of(tenant),
                Map.of("feature", "search"), route.prefix(), route.provider(), Endpoint.CHAT_COMPLETIONS, "gpt-4o",
                new String("gpt-4o") /* a fresh instance, as parsed from each response */, stream, code, outcome, usage, false, 1_000, price, stream ? 100_000_000L : -1,
                800_000_000L, 790_000_000L, 40_000L));
    }

    private String scrape() {
        return registry.scrape();
    }
}
