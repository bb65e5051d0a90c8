package dev.tollgate.server.handler;

import dev.tollgate.core.budget.BudgetDecision;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.Refusal;
import dev.tollgate.core.budget.Reservation;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.PriceQuote;
import dev.tollgate.core.pricing.UsdFormat;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.server.exchange.Exchange;
import dev.tollgate.server.http.ProxyError;
import dev.tollgate.server.http.TollgateHeaders;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;

/**
 * Enforces the tenant's budgets on each whole request, before any upstream call (CONTRACT §4-§6):
 * holds the request's cost upper bound ({@link dev.tollgate.core.budget.CostBound}: body bytes as input
 * tokens, the output limit as output tokens, at the requested model's price), or answers 429
 * {@code budget_exceeded} with {@code Retry-After} until the refusing window ends. A tenant with a
 * rejecting budget cannot send a model without a price (400 {@code unpriced_model}) unless
 * {@code pricing.unpriced: allow}. The hold travels on the {@link Exchange}, and the exchange's
 * completion settles it with the actual cost, whatever way the request ends.
 *
 * <p>Lock-free: the enforcer takes holds with compare-and-set, so this runs on the event loop.
 */
public final class BudgetGateHandler extends ChannelInboundHandlerAdapter {

    private final ProxyContext proxy;

    public BudgetGateHandler(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ProxyRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Exchange exchange = request.exchange();
        RequestFacts facts = exchange.facts();
        BudgetEnforcer budgets = proxy.budgets().get();
        TenantId tenant = exchange.tenant();
        if (facts == null || !budgets.hasBudgets(tenant)) {
            ctx.fireChannelRead(request); // nothing metered, or nothing to enforce
            return;
        }
        PriceQuote quote = proxy.prices().get().resolve(facts.model(), exchange.route().pricingProfile());
        if (!quote.priced() && budgets.rejects(tenant) && !proxy.allowUnpriced().getAsBoolean()) {
            request.release();
            Rejections.send(ctx, proxy, exchange, ProxyError.UNPRICED_MODEL, unpricedMessage(facts, tenant),
                    Outcome.REJECTED, exchange.clientKeepAlive(), -1);
            return;
        }
        long bound = quote.price() == null ? 0 : proxy.costBound().nanoUsd(quote.price(), exchange.startedAt(),
                exchange.endpoint(), request.content().readableBytes(), facts);
        BudgetDecision decision = budgets.reserve(tenant, bound, exchange.startedAt());
        if (decision instanceof Refusal refusal) {
            request.release();
            Rejections.send(ctx, proxy, exchange, ProxyError.BUDGET_EXCEEDED, refusedMessage(refusal, bound, tenant),
                    Outcome.REJECTED, exchange.clientKeepAlive(), refusal.retryAfterSeconds());
            return;
        }
        exchange.reservation((Reservation) decision);
        // From here the exchange's completion settles the hold, however the request ends.
        ctx.fireChannelRead(request);
    }

    /** Sets {@code X-Tollgate-Budget-Remaining-USD} from the hold's admission-time figure, if the tenant has budgets. */
    static void setRemainingAtAdmission(HttpHeaders headers, Exchange exchange) {
        Reservation reservation = exchange.reservation();
        if (reservation != null && reservation.remainingNanoUsd() >= 0) {
            headers.set(TollgateHeaders.BUDGET_REMAINING_USD, UsdFormat.nanoToDecimal(reservation.remainingNanoUsd()));
        }
    }

    /** Sets {@code X-Tollgate-Budget-Remaining-USD} to the tenant's tightest remaining budget now, if it has budgets. */
    static void setRemainingNow(HttpHeaders headers, ProxyContext proxy, Exchange exchange) {
        long remaining = proxy.budgets().get().remainingNanoUsd(exchange.tenant(), proxy.clock().instant());
        if (remaining >= 0) {
            headers.set(TollgateHeaders.BUDGET_REMAINING_USD, UsdFormat.nanoToDecimal(remaining));
        }
    }

    private static String unpricedMessage(RequestFacts facts, TenantId tenant) {
        String model = facts.model() == null ? "The request names no model, so it" : "Model '" + facts.model() + "'";
        return model + " has no price in Tollgate, and tenant '" + tenant + "' has a hard budget that an unpriced"
                + " model would bypass. Add a pricing override for it, or set pricing.unpriced: allow.";
    }

    private static String refusedMessage(Refusal refusal, long bound, TenantId tenant) {
        Instant resets = refusal.period().end();
        return "Budget exceeded: tenant '" + tenant + "' has " + UsdFormat.nanoToDecimal(refusal.remainingNanoUsd())
                + " USD left of its " + refusal.budget().window().label() + " budget of "
                + UsdFormat.nanoToDecimal(refusal.budget().limitNanoUsd()) + " USD (" + refusal.period().id()
                + "), and this request may cost up to " + UsdFormat.nanoToDecimal(bound) + " USD. The budget resets at "
                + resets + ".";
    }
}
