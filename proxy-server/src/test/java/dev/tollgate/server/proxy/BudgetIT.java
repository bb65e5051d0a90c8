package dev.tollgate.server.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.core.budget.BudgetWindow;
import dev.tollgate.core.budget.SpendKey;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Recorded;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets end to end: hard limits that hold under a burst of concurrent requests, alert-only budgets,
 * unpriced models, the remaining-budget header and the budget gauges.
 *
 * <p>Model {@code budget-model} costs 1 USD per 1M input tokens and 2 USD per 1M output tokens
 * (1,000 and 2,000 nano-USD per token). The fake upstream reports the largest usage a request can
 * have (input tokens = body bytes, output tokens = {@code max_tokens}), so each request costs exactly
 * the bound it was admitted with, and a budget of N bounds fits exactly N requests.
 */
class BudgetIT {

    static final String MODEL = "budget-model";
    static final String UNPRICED = "zz-unpriced-model";
    static final int FITS = 37;
    static final int BURST = 200;
    static final long MAX_TOKENS = 100;
    static final String BODY = "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"How much is this?\"}]}";
    /** Body bytes at 1,000 nano-USD plus max_tokens at 2,000 nano-USD. */
    static final long BOUND_NANO = BODY.getBytes(UTF_8).length * 1_000L + MAX_TOKENS * 2_000L;
    static final long CAPPED_LIMIT_NANO = FITS * BOUND_NANO;
    static final long ROOMY_LIMIT_NANO = 1_000_000_000L;
    static final long SEEDED_NANO = 250_000_000L;

    static final String PRICING = """
            pricing:
              overrides:
                - model: budget-model
                  input: 1
                  output: 2
            """;
    static final String TENANTS = """
            - id: capped
              budgets:
                - window: monthly
                  limit_usd: %s
                - window: daily
                  limit_usd: 1000
                  action: alert_only
            - id: watched
              budgets:
                - window: daily
                  limit_usd: 0.000001
                  action: alert_only
            - id: roomy
              budgets:
                - window: weekly
                  limit_usd: %s
            - id: tiny
              budgets:
                - window: monthly
                  limit_usd: 0.000000001
            """.formatted(usd(CAPPED_LIMIT_NANO), usd(ROOMY_LIMIT_NANO));

    static final Pattern MAX_TOKENS_FIELD = Pattern.compile("\"max_tokens\":(\\d+)");

    static FakeUpstream upstream;
    static TollgateFixture proxy;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(BudgetIT::maxUsageReply);
        // roomy's weekly window already holds spend from before the "restart".
        proxy = TollgateFixture.start(upstream, PRICING, TENANTS, periods -> periods.stream()
                .filter(p -> p.window() == BudgetWindow.WEEKLY)
                .collect(Collectors.toMap(p -> SpendKey.of(TenantId.of("roomy"), p.id()), p -> SEEDED_NANO)));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void aBurstOfConcurrentRequestsNeverPassesAHardBudget() throws Exception {
        int forwardedBefore = upstream.requests().size();
        AtomicBoolean bursting = new AtomicBoolean(true);
        CompletableFuture<Double> highestSpend = CompletableFuture.supplyAsync(() -> {
            double highest = 0;
            while (bursting.get()) {
                highest = Math.max(highest, spendGauge("capped", "monthly"));
            }
            return highest;
        });

        List<HttpResponse<String>> responses = burst("capped", BURST, 48);
        bursting.set(false);

        List<HttpResponse<String>> passed = responses.stream().filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(passed).hasSize(FITS);
        assertThat(refused).hasSize(BURST - FITS);
        assertThat(upstream.requests().size() - forwardedBefore).as("refused requests never reach the upstream")
                .isEqualTo(FITS);

        long untilNextMonth = Duration.between(Instant.now(), ZonedDateTime.now(ZoneOffset.UTC).withDayOfMonth(1)
                .plusMonths(1).toLocalDate().atStartOfDay(ZoneOffset.UTC)).getSeconds();
        for (HttpResponse<String> r : refused) {
            assertThat(r.body()).contains("\"code\":\"budget_exceeded\"").contains("\"type\":\"insufficient_quota\"");
            long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(untilNextMonth - 60, untilNextMonth + 60);
            assertThat(r.headers().firstValue("X-Tollgate-Budget-Remaining-USD")).isPresent();
        }
        for (HttpResponse<String> r : passed) {
            assertThat(r.headers().firstValue("X-Tollgate-Cost-USD")).hasValue(usd(BOUND_NANO));
            assertThat(new BigDecimal(r.headers().firstValue("X-Tollgate-Budget-Remaining-USD").orElseThrow()))
                    .isBetween(BigDecimal.ZERO, new BigDecimal(usd(CAPPED_LIMIT_NANO - BOUND_NANO)));
        }

        double limit = CAPPED_LIMIT_NANO / 1e9;
        assertThat(proxy.metric("tollgate_budget_spend_usd", Map.of("tenant", "capped", "window", "monthly")))
                .as("every admitted request cost exactly its bound").isCloseTo(limit, within(1e-12));
        assertThat(highestSpend.get(10, TimeUnit.SECONDS)).isLessThanOrEqualTo(limit + 1e-12);
        assertThat(proxy.metric("tollgate_budget_spend_usd", Map.of("tenant", "capped", "window", "daily")))
                .as("the alert-only budget counts the same spend").isCloseTo(limit, within(1e-12));
        assertThat(proxy.metric("tollgate_requests_rejected_total", Map.of("tenant", "capped", "reason", "budget")))
                .isEqualTo(BURST - FITS);
        assertThat(proxy.metric("tollgate_requests_total", Map.of("tenant", "capped", "code", "429")))
                .isEqualTo(BURST - FITS);

        HttpResponse<String> stillRefused = proxy.post("/openai/v1/chat/completions", BODY, "X-Tollgate-Tenant", "capped");
        assertThat(stillRefused.statusCode()).isEqualTo(429);
        assertThat(stillRefused.headers().firstValue("X-Tollgate-Budget-Remaining-USD")).hasValue("0.000000000");
    }

    @Test
    void alertOnlyBudgetsNeverRefuse() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = proxy.post("/openai/v1/chat/completions", BODY, "X-Tollgate-Tenant", "watched");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Tollgate-Budget-Remaining-USD")).hasValue("0.000000000");
        }
        assertThat(proxy.metric("tollgate_budget_spend_usd", Map.of("tenant", "watched", "window", "daily")))
                .isCloseTo(5 * BOUND_NANO / 1e9, within(1e-12));
        assertThat(proxy.metric("tollgate_budget_limit_usd", Map.of("tenant", "watched", "window", "daily")))
                .isEqualTo(0.000001);
    }

    @Test
    void remainingBudgetIsReportedAfterSettlingOrAtAdmissionForStreams() throws Exception {
        long before = ROOMY_LIMIT_NANO - SEEDED_NANO;
        HttpResponse<String> plain = proxy.post("/openai/v1/chat/completions", BODY, "X-Tollgate-Tenant", "roomy");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("X-Tollgate-Budget-Remaining-USD")).as("after this request's cost")
                .hasValue(usd(before - BOUND_NANO));

        String streamBody = BODY.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\"");
        HttpResponse<String> stream = proxy.post("/openai/v1/chat/completions", streamBody, "X-Tollgate-Tenant", "roomy");
        assertThat(stream.statusCode()).isEqualTo(200);
        String forwarded = upstream.lastRequest().body();
        assertThat(forwarded).as("usage reporting was asked for").contains("\"include_usage\":true");
        long streamBound = forwarded.getBytes(UTF_8).length * 1_000L + MAX_TOKENS * 2_000L; // the bytes sent upstream
        assertThat(stream.body()).endsWith("data: [DONE]\n\n");
        assertThat(stream.headers().firstValue("X-Tollgate-Budget-Remaining-USD"))
                .as("at admission: this stream's bound still held").hasValue(usd(before - BOUND_NANO - streamBound));
        assertThat(proxy.metric("tollgate_budget_spend_usd", Map.of("tenant", "roomy", "window", "weekly")))
                .as("seeded spend plus both requests; the stream's usage was injected and reported")
                .isCloseTo((SEEDED_NANO + BOUND_NANO + streamBound) / 1e9, within(1e-12));
    }

    @Test
    void aRequestThatCannotFitIsRefusedInTheProvidersShape() throws Exception {
        int forwardedBefore = upstream.requests().size();
        HttpResponse<String> response = proxy.post("/anthropic/v1/messages", BODY, "X-Tollgate-Tenant", "tiny",
                "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"")
                .contains("monthly budget");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(upstream.requests()).hasSize(forwardedBefore);
    }

    @Test
    void unpricedModelsAreRefusedOnlyForTenantsWithAHardBudget() throws Exception {
        int forwardedBefore = upstream.requests().size();
        String body = BODY.replace(MODEL, UNPRICED);

        HttpResponse<String> refused = proxy.post("/openai/v1/chat/completions", body, "X-Tollgate-Tenant", "capped");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"code\":\"unpriced_model\"").contains(UNPRICED).contains("pricing.unpriced");
        assertThat(upstream.requests()).hasSize(forwardedBefore);

        assertThat(proxy.post("/openai/v1/chat/completions", body, "X-Tollgate-Tenant", "watched").statusCode())
                .as("alert-only budgets cannot be bypassed, only watched").isEqualTo(200);
        assertThat(proxy.post("/openai/v1/chat/completions", body, "X-Tollgate-Tenant", "globex").statusCode())
                .as("no budget").isEqualTo(200);
    }

    @Test
    void unpricedModelsPassWhenAllowed() throws Exception {
        try (TollgateFixture allowing = TollgateFixture.start(FakeUpstream.start(BudgetIT::maxUsageReply),
                PRICING.replace("pricing:\n", "pricing:\n  unpriced: allow\n"), TENANTS, periods -> Map.of())) {
            HttpResponse<String> response = allowing.post("/openai/v1/chat/completions", BODY.replace(MODEL, UNPRICED),
                    "X-Tollgate-Tenant", "capped");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000000000");
            assertThat(response.headers().firstValue("X-Tollgate-Budget-Remaining-USD")).hasValue(usd(CAPPED_LIMIT_NANO));
        }
    }

    @Test
    void everyConfiguredBudgetIsExported() throws Exception {
        String text = proxy.scrape();
        assertThat(TollgateFixture.MetricsText.value(text, "tollgate_budget_limit_usd", Map.of("tenant", "capped", "window", "monthly")))
                .isCloseTo(CAPPED_LIMIT_NANO / 1e9, within(1e-12));
        assertThat(TollgateFixture.MetricsText.value(text, "tollgate_budget_limit_usd", Map.of("tenant", "capped", "window", "daily")))
                .isEqualTo(1000);
        assertThat(TollgateFixture.MetricsText.value(text, "tollgate_budget_limit_usd", Map.of("tenant", "roomy", "window", "weekly")))
                .isEqualTo(1);
        assertThat(TollgateFixture.MetricsText.value(text, "tollgate_budget_limit_usd", Map.of("tenant", "tiny", "window", "monthly")))
                .isEqualTo(1e-9);
        assertThat(text).contains("tollgate_budget_spend_usd{tenant=\"tiny\",window=\"monthly\"} 0.0")
                .doesNotContain("tollgate_budget_limit_usd{tenant=\"globex\"");
        assertThat(TollgateFixture.MetricsText.value(text, "tollgate_budget_spend_usd", Map.of("tenant", "roomy", "window", "weekly")))
                .as("seeded at start-up").isGreaterThanOrEqualTo(SEEDED_NANO / 1e9);
    }

    /** Sends {@code count} copies of {@link #BODY} for {@code tenant}, at most {@code inFlight} at a time. */
    private static List<HttpResponse<String>> burst(String tenant, int count, int inFlight) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertThat(slots.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            HttpRequest request = HttpRequest.newBuilder(proxy.uri("/openai/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Tollgate-Tenant", tenant)
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> slots.release()));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            responses.add(f.get());
        }
        return responses;
    }

    /** The usage a request can at most have: every body byte an input token, every allowed output token used. */
    private static Reply maxUsageReply(Recorded request) {
        long input = request.body().getBytes(UTF_8).length;
        Matcher max = MAX_TOKENS_FIELD.matcher(request.body());
        long output = max.find() ? Long.parseLong(max.group(1)) : 0;
        String model = request.body().contains(UNPRICED) ? UNPRICED : MODEL;
        String usage = "{\"prompt_tokens\":" + input + ",\"completion_tokens\":" + output + ",\"total_tokens\":" + (input + output) + "}";
        if (request.body().contains("\"stream\":true")) {
            return Reply.sse("data: {\"id\":\"c\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\n"
                    + "data: {\"id\":\"c\",\"model\":\"" + model + "\",\"choices\":[],\"usage\":" + usage + "}\n\n"
                    + "data: [DONE]\n\n");
        }
        // A little latency, so that many requests of a burst hold their reservations at once.
        return Reply.json("{\"id\":\"c\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"ok\"}}],\"usage\":" + usage + "}").stalling(20);
    }

    private static double spendGauge(String tenant, String window) {
        try {
            return TollgateFixture.MetricsText.value(proxy.scrape(), "tollgate_budget_spend_usd", Map.of("tenant", tenant, "window", window));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String usd(long nano) {
        return BigDecimal.valueOf(nano, 9).toPlainString();
    }
}
