package dev.tollgate.server.exchange;

import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.Reservation;
import dev.tollgate.core.exchange.ExchangeListener;
import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.CostCalculator;
import dev.tollgate.core.pricing.PriceQuote;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.core.usage.ParsedUsage;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.core.usage.TextSample;
import dev.tollgate.core.usage.TokenEstimator;
import dev.tollgate.core.usage.TokenUsage;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a finished {@link Exchange} into an {@link ExchangeRecord}: takes the reported usage or
 * counts tokens locally, prices the billed model, settles the request's budget reservation with its
 * cost, and then tells the listener (metrics now; the ledger subscribes the same way). Local counting is slow (a tokenizer), so it runs on its own
 * executor, never on an event loop.
 */
public final class ExchangeCompleter {

    private static final Logger log = LoggerFactory.getLogger(ExchangeCompleter.class);

    private final Supplier<PriceTable> prices;
    private final TokenEstimator estimator;
    private final Executor estimatorExecutor;
    private final ExchangeListener listener;
    private final BudgetEnforcer budgets;
    private final LongSupplier nanoTime;

    /**
     * @param prices the current price table (a supplier, so that a config reload swaps it)
     * @param budgets settles reservations; any enforcer can settle any reservation, so a reload that
     *     replaces the enforcer does not strand the holds of requests in flight
     */
    public ExchangeCompleter(Supplier<PriceTable> prices, TokenEstimator estimator, Executor estimatorExecutor,
            ExchangeListener listener, BudgetEnforcer budgets, LongSupplier nanoTime) {
        this.prices = prices;
        this.estimator = estimator;
        this.estimatorExecutor = estimatorExecutor;
        this.listener = listener;
        this.budgets = budgets;
        this.nanoTime = nanoTime;
    }

    /**
     * Completes the exchange exactly once; later calls do nothing. Its budget reservation, if any, is
     * settled with the request's cost before the listener and {@code then} run (a request that cost
     * nothing, refused or failed, just gives its hold back). {@code then}, if given, runs on
     * {@code loop} with the record (the non-streaming relay writes its cost header from it).
     *
     * @param parsed what the response said, or null when there was no usable response
     */
    public void complete(Exchange exchange, EventExecutor loop, Outcome outcome, int statusCode,
            @Nullable ParsedUsage parsed, @Nullable Consumer<ExchangeRecord> then) {
        if (!exchange.markCompleted()) {
            return;
        }
        long endNanos = nanoTime.getAsLong();
        RequestFacts facts = exchange.facts();
        String billedModel = parsed != null && parsed.model() != null ? parsed.model() : exchange.modelRequested();
        Draft draft = new Draft(exchange, outcome, statusCode, billedModel, endNanos);

        TokenUsage reported = parsed == null ? null : parsed.reported();
        boolean success = statusCode >= 200 && statusCode < 300;
        if (reported != null && (parsed.finished() || !success)) {
            finish(draft, reported, false, loop, then);
        } else if (reported != null) {
            // Cut short after some usage was reported (Anthropic's message_start says input and
            // output so far): keep what was reported and count the output streamed since.
            TextSample output = parsed.outputText();
            estimateOffLoop(draft, loop, then, () -> {
                long streamed = estimator.countTokens(billedModel, output);
                return new TokenUsage(reported.input(), reported.cachedInput(), reported.cacheWrite5m(),
                        reported.cacheWrite1h(), Math.max(reported.output(), streamed));
            });
        } else if (needsEstimate(exchange, statusCode, facts)) {
            TextSample output = parsed != null ? parsed.outputText() : new TextSample(0);
            estimateOffLoop(draft, loop, then, () -> estimator.estimate(billedModel, facts.promptText(), output));
        } else {
            finish(draft, TokenUsage.ZERO, false, loop, then);
        }
    }

    /** Counts tokens on the estimator executor, never on an event loop, then finishes there. */
    private void estimateOffLoop(Draft draft, EventExecutor loop, @Nullable Consumer<ExchangeRecord> then,
            Supplier<TokenUsage> count) {
        try {
            estimatorExecutor.execute(() -> finish(draft, countSafely(draft, count), true, loop, then));
        } catch (RejectedExecutionException e) {
            // Shutting down: record without tokens rather than lose the request.
            finish(draft, TokenUsage.ZERO, false, loop, then);
        }
    }

    /** Only a successful, metered request consumed tokens that the upstream failed to report. */
    private static boolean needsEstimate(Exchange exchange, int statusCode, @Nullable RequestFacts facts) {
        return facts != null && exchange.endpoint().isMetered() && statusCode >= 200 && statusCode < 300;
    }

    private static TokenUsage countSafely(Draft draft, Supplier<TokenUsage> count) {
        try {
            return count.get();
        } catch (RuntimeException e) {
            log.warn("Token estimation failed for model {}; recording zero tokens", draft.billedModel, e);
            return TokenUsage.ZERO;
        }
    }

    private void finish(Draft draft, TokenUsage usage, boolean estimated, EventExecutor loop,
            @Nullable Consumer<ExchangeRecord> then) {
        Exchange exchange = draft.exchange;
        PriceQuote quote = prices.get().resolve(draft.billedModel, exchange.route().pricingProfile());
        long costNanoUsd = quote.price() == null ? 0 : CostCalculator.costNanoUsd(usage, quote.price(), exchange.startedAt());
        long durationNanos = draft.endNanos - exchange.startNanos();
        ExchangeRecord record = new ExchangeRecord(
                exchange.id(),
                exchange.startedAt(),
                exchange.startedAt().plusNanos(durationNanos),
                exchange.tenant(),
                exchange.tags(),
                exchange.route().prefix(),
                exchange.route().provider(),
                exchange.endpoint(),
                exchange.modelRequested(),
                draft.billedModel,
                exchange.stream(),
                draft.statusCode,
                draft.outcome,
                usage,
                estimated,
                costNanoUsd,
                quote.source(),
                exchange.ttftNanos(),
                durationNanos,
                exchange.upstreamNanos(),
                exchange.overheadNanos(draft.endNanos));
        Reservation reservation = exchange.reservation();
        if (reservation != null) {
            budgets.settle(reservation, costNanoUsd);
        }
        try {
            listener.onExchange(record);
        } catch (RuntimeException e) {
            log.error("An exchange listener failed for request {}", record.requestId(), e);
        }
        if (then != null) {
            if (loop.inEventLoop()) {
                then.accept(record);
            } else {
                loop.execute(() -> then.accept(record));
            }
        }
    }

    /** What is known when the exchange completes, before tokens are settled. */
    private record Draft(Exchange exchange, Outcome outcome, int statusCode, @Nullable String billedModel, long endNanos) {}
}
