package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BusyPollStrategyTest {

    /** Answers 0 ("nothing ready") a number of times, then a count of ready channels; counts its calls. */
    private static final class Poller implements IntSupplier {
        private final int emptyPolls;
        private final int ready;
        int calls;

        Poller(int emptyPolls, int ready) {
            this.emptyPolls = emptyPolls;
            this.ready = ready;
        }

        @Override
        public int get() {
            return calls++ < emptyPolls ? 0 : ready;
        }
    }

    @Test
    void noBudgetSleepsAtOnceWithoutPolling() throws Exception {
        Poller poller = new Poller(0, 5);

        int strategy = BusyPollStrategy.factory(0).newSelectStrategy().calculateStrategy(poller, false);

        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(poller.calls).isZero();
    }

    @Test
    void queuedTasksGetOnePollAndNoSleep() throws Exception {
        Poller poller = new Poller(Integer.MAX_VALUE, 0);

        int strategy = BusyPollStrategy.factory(50).newSelectStrategy().calculateStrategy(poller, true);

        assertThat(strategy).isZero();
        assertThat(poller.calls).isEqualTo(1);
    }

    @Test
    void pollingReturnsTheChannelsThatBecameReady() throws Exception {
        Poller poller = new Poller(3, 2);

        // A generous budget: the fourth poll must come long before it is spent.
        int strategy = BusyPollStrategy.factory(1_000_000).newSelectStrategy().calculateStrategy(poller, false);

        assertThat(strategy).isEqualTo(2);
        assertThat(poller.calls).isEqualTo(4);
    }

    @Test
    void sleepsOnceTheBudgetIsSpentWithNothingReady() throws Exception {
        Poller poller = new Poller(Integer.MAX_VALUE, 0);
        long start = System.nanoTime();

        int strategy = BusyPollStrategy.factory(2_000).newSelectStrategy().calculateStrategy(poller, false);

        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MICROSECONDS.toNanos(2_000));
        assertThat(poller.calls).isGreaterThan(1);
    }

    @Test
    void negativeBudgetIsRefused() {
        assertThatThrownBy(() -> BusyPollStrategy.factory(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
