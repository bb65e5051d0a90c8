package dev.tollgate.server.handler;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.budget.Budget;
import dev.tollgate.core.budget.BudgetAction;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.BudgetWindow;
import dev.tollgate.core.budget.CostBound;
import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.ModelPrice;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.core.pricing.Rates;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.RequestInspector;
import dev.tollgate.server.config.RouteConfig;
import dev.tollgate.server.exchange.Exchange;
import dev.tollgate.server.exchange.ExchangeCompleter;
import dev.tollgate.server.metrics.ProxyMetrics;
import dev.tollgate.server.route.Route;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The budget gate on its own: what passes, what is refused, and that refused requests are released. */
class BudgetGateHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final TenantId ACME = TenantId.of("acme");
    private static final String BODY = "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[]}";
    /** 1,000 nano-USD per body byte, 2,000 per output token. */
    private static final long BOUND = BODY.length() * 1_000L + 10 * 2_000L;
    private static final Route ROUTE = Route.of(new RouteConfig("/openai", ProviderKind.OPENAI, URI.create("http://127.0.0.1:1"),
            null, null, true));
    private static final PriceTable PRICES = PriceTable.builder().override("m", ModelPrice.of(Rates.ofUsdPerMillion("1", "2"))).build();

    private final List<ExchangeRecord> records = new CopyOnWriteArrayList<>();

    @Test
    void admittedRequestPassesWithItsHold() {
        BudgetEnforcer budgets = budgets(BudgetAction.REJECT, 10 * BOUND);
        EmbeddedChannel channel = channel(budgets, false);
        ProxyRequest request = request(channel, ACME, BODY);

        assertThat(channel.writeInbound(request)).isTrue();
        ProxyRequest passed = channel.readInbound();
        assertThat(passed).isSameAs(request);
        assertThat(passed.exchange().reservation()).isNotNull();
        assertThat(passed.exchange().reservation().upperBoundNanoUsd()).isEqualTo(BOUND);
        assertThat(budgets.remainingNanoUsd(ACME, NOW)).isEqualTo(9 * BOUND);
        passed.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusedRequestGets429AndIsReleased() {
        BudgetEnforcer budgets = budgets(BudgetAction.REJECT, BOUND - 1);
        EmbeddedChannel channel = channel(budgets, false);
        ProxyRequest request = request(channel, ACME, BODY);
        ByteBuf body = request.content();

        assertThat(channel.writeInbound(request)).as("refused request must not propagate").isFalse();
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.TOO_MANY_REQUESTS);
        assertThat(response.headers().get("Retry-After")).isEqualTo("309600"); // until 2026-12-01T00:00Z
        assertThat(response.headers().get("X-Tollgate-Budget-Remaining-USD")).isEqualTo(BigDecimal.valueOf(BOUND - 1, 9).toPlainString());
        assertThat(response.content().toString(UTF_8)).contains("\"code\":\"budget_exceeded\"");
        assertThat(body.refCnt()).as("the gate consumed the request, so it released it").isZero();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(r.statusCode()).isEqualTo(429);
        });
        response.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void unpricedModelIsRefusedForAHardBudgetUnlessAllowed() {
        BudgetEnforcer budgets = budgets(BudgetAction.REJECT, 10 * BOUND);
        EmbeddedChannel refusing = channel(budgets, false);
        ProxyRequest request = request(refusing, ACME, BODY.replace("\"m\"", "\"unknown-model\""));

        assertThat(refusing.writeInbound(request)).isFalse();
        FullHttpResponse response = refusing.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(response.content().toString(UTF_8)).contains("\"code\":\"unpriced_model\"");
        assertThat(request.refCnt()).isZero();
        response.release();
        assertThat(refusing.finishAndReleaseAll()).isFalse();

        EmbeddedChannel allowing = channel(budgets, true);
        ProxyRequest allowed = request(allowing, ACME, BODY.replace("\"m\"", "\"unknown-model\""));
        assertThat(allowing.writeInbound(allowed)).isTrue();
        ProxyRequest passed = allowing.readInbound();
        assertThat(passed.exchange().reservation().upperBoundNanoUsd()).as("an unpriced model holds nothing").isZero();
        passed.release();
        assertThat(allowing.finishAndReleaseAll()).isFalse();
    }

    @Test
    void alertOnlyBudgetsAndUnbudgetedTenantsPass() {
        BudgetEnforcer budgets = budgets(BudgetAction.ALERT_ONLY, 1);
        EmbeddedChannel channel = channel(budgets, false);

        assertThat(channel.writeInbound(request(channel, ACME, BODY.replace("\"m\"", "\"unknown-model\"")))).isTrue();
        ProxyRequest watched = channel.readInbound();
        assertThat(watched.exchange().reservation()).isNotNull();
        watched.release();

        assertThat(channel.writeInbound(request(channel, TenantId.of("globex"), BODY))).isTrue();
        ProxyRequest unbudgeted = channel.readInbound();
        assertThat(unbudgeted.exchange().reservation()).as("nothing to hold or settle").isNull();
        unbudgeted.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static BudgetEnforcer budgets(BudgetAction action, long limitNanoUsd) {
        return BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.MONTHLY, limitNanoUsd, action)));
    }

    private EmbeddedChannel channel(BudgetEnforcer budgets, boolean allowUnpriced) {
        ProxyMetrics metrics = new ProxyMetrics(new SimpleMeterRegistry(), List.of(), 200, List.of(ROUTE));
        // The estimator is never reached: refusals and these requests carry no tokens to count.
        ExchangeCompleter completer = new ExchangeCompleter(() -> PRICES, null, Runnable::run,
                r -> { records.add(r); metrics.onExchange(r); }, budgets, System::nanoTime);
        ProxyContext proxy = new ProxyContext(Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime, () -> null, () -> null,
                () -> PRICES, () -> budgets, CostBound.defaults(), () -> allowUnpriced, completer, metrics, null, 1 << 20,
                60_000, 30_000);
        return new EmbeddedChannel(new BudgetGateHandler(proxy));
    }

    private static ProxyRequest request(EmbeddedChannel channel, TenantId tenant, String json) {
        Exchange exchange = new Exchange("01JDZZZZZZZZZZZZZZZZZZZZZZ", NOW, System.nanoTime(), ROUTE, Endpoint.CHAT_COMPLETIONS, true);
        exchange.tenant(tenant);
        RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
        inspector.onBytes(ByteBuffer.wrap(json.getBytes(UTF_8)));
        try {
            exchange.facts(inspector.finish());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        exchange.attachTo(channel);
        var head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/openai/v1/chat/completions");
        return new ProxyRequest(head, Unpooled.copiedBuffer(json, UTF_8), exchange);
    }
}
