package dev.tollgate.server.handler;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;

/**
 * Flushes a channel once its event loop has handled every event of the current pass, instead of at
 * once. Each flush is a write system call that wakes the peer reading it (client or upstream); on a
 * host whose cores the loops share with those peers, a peer woken in the middle of the pass
 * preempts the loop there, and every request of the pass pays a pair of context switches. Deferred to
 * the end of the pass, the loop finishes its work first and a woken peer finds all its bytes at once
 * ({@code bench/README.md}, seventh session: 8-15 % more JSON requests per second at c=64).
 *
 * <p>The flush runs as a task of the loop, which Netty runs after the pass's I/O events; one batch
 * per loop thread, touched only by that thread, so no lock.
 */
final class PassFlush implements Runnable {

    private static final FastThreadLocal<PassFlush> LOOP_BATCH = new FastThreadLocal<>() {
        @Override
        protected PassFlush initialValue() {
            return new PassFlush();
        }
    };

    private final ArrayList<Channel> pending = new ArrayList<>();
    private boolean scheduled;

    private PassFlush() {}

    /** Flushes {@code channel} at the end of its loop's pass; call it on that loop. */
    static void flushAfterPass(Channel channel) {
        assert channel.eventLoop().inEventLoop();
        PassFlush batch = LOOP_BATCH.get();
        batch.pending.add(channel);
        if (!batch.scheduled) {
            batch.scheduled = true;
            try {
                channel.eventLoop().execute(batch);
            } catch (RejectedExecutionException e) {
                batch.run(); // the loop is shutting down: flush now rather than never
            }
        }
    }

    @Override
    public void run() {
        scheduled = false;
        for (int i = 0; i < pending.size(); i++) {
            pending.get(i).flush();
        }
        pending.clear();
    }
}
