package dev.tollgate.server;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * How an event loop waits for I/O: it keeps polling without blocking for a short time before it
 * goes to sleep in the kernel. Waking a sleeping thread costs tens of microseconds on a virtual
 * machine, and a proxy would pay it twice per request (for the client's request and again for the
 * upstream's answer), which is most of its added latency at low load. Under load, polling finds the
 * next event before the budget is spent, so the loop sleeps less and does less work per request.
 * The cost is CPU spent polling after each burst of work, at most the budget per burst.
 *
 * <p>Each event loop gets its own instance; a budget of 0 sleeps at once, as Netty does by default.
 */
final class BusyPollStrategy implements SelectStrategy {

    private final long budgetNanos;

    private BusyPollStrategy(long budgetNanos) {
        this.budgetNanos = budgetNanos;
    }

    /** Strategies that poll for up to {@code budgetMicros} before sleeping. */
    static SelectStrategyFactory factory(long budgetMicros) {
        if (budgetMicros < 0) {
            throw new IllegalArgumentException("budgetMicros: " + budgetMicros + " (expected: >= 0)");
        }
        long budgetNanos = budgetMicros * 1_000;
        return () -> new BusyPollStrategy(budgetNanos);
    }

    @Override
    public int calculateStrategy(IntSupplier pollNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return pollNow.get(); // never sleep with tasks queued
        }
        if (budgetNanos > 0) {
            long deadline = System.nanoTime() + budgetNanos;
            do {
                int ready = pollNow.get();
                if (ready > 0) {
                    return ready;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() - deadline < 0);
        }
        return SelectStrategy.SELECT; // sleep until I/O, a task or a timer
    }
}
