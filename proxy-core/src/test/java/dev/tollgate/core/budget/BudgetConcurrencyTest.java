package dev.tollgate.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Many threads race for one budget: the compare-and-set admission must never let spend pass the limit. */
class BudgetConcurrencyTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final int THREADS = 16;
    private static final long BOUND = 7_777;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @RepeatedTest(5)
    void exactlyNOfManyRacingRequestsAreAdmitted() throws Exception {
        int fits = 1_000;
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.MONTHLY, fits * BOUND, BudgetAction.REJECT)));
        LongAdder admitted = new LongAdder();
        List<Reservation> held = java.util.Collections.synchronizedList(new ArrayList<>());

        race(500, () -> {
            BudgetDecision decision = budgets.reserve(ACME, BOUND, NOW);
            if (decision instanceof Reservation r) {
                admitted.increment();
                held.add(r);
            }
        });

        assertThat(admitted.sum()).isEqualTo(fits);
        assertThat(budgets.remainingNanoUsd(ACME, NOW)).isZero();
        held.forEach(r -> budgets.settle(r, BOUND)); // each cost exactly its bound
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOW)).isEqualTo(fits * BOUND);
        assertThat(budgets.reserve(ACME, 1, NOW).admitted()).isFalse();
    }

    @RepeatedTest(5)
    void spendNeverPassesTheLimitWhileRequestsSettleConcurrently() throws Exception {
        long limit = 3_000 * BOUND + 1_234;
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(
                Budget.of(ACME, BudgetWindow.MONTHLY, limit, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.DAILY, limit / 2, BudgetAction.ALERT_ONLY)));
        LongAdder billed = new LongAdder();
        LongAccumulator highestSpend = new LongAccumulator(Math::max, 0);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                highestSpend.accumulate(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOW));
            }
        });
        watcher.start();

        race(2_000, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            BudgetDecision decision = budgets.reserve(ACME, BOUND, NOW);
            if (decision instanceof Reservation r) {
                if (random.nextInt(10) == 0) {
                    budgets.release(r); // failed upstream: nothing billed
                } else {
                    long actual = random.nextLong(BOUND + 1);
                    budgets.settle(r, actual);
                    billed.add(actual);
                }
            }
        });
        running.set(false);
        watcher.join(10_000);

        long spent = budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOW);
        assertThat(spent).isEqualTo(billed.sum()).isLessThanOrEqualTo(limit);
        assertThat(highestSpend.get()).isLessThanOrEqualTo(limit);
        assertThat(limit - spent).as("it stopped only when the next bound no longer fit").isLessThan(BOUND);
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.DAILY, NOW)).as("alert-only budget got every settle")
                .isEqualTo(billed.sum());
        assertThat(budgets.remainingNanoUsd(ACME, NOW)).as("no hold left behind").isZero();
        assertThat(budgets.status(NOW).get(0).heldNanoUsd()).isZero();
    }

    @Test
    void severalRejectingBudgetsNeverOvershootAnyOfThem() throws Exception {
        int fitsDaily = 400;
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(
                Budget.of(ACME, BudgetWindow.MONTHLY, 1_000 * BOUND, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.WEEKLY, 700 * BOUND, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.DAILY, fitsDaily * BOUND, BudgetAction.REJECT)));
        AtomicLong admitted = new AtomicLong();

        race(300, () -> {
            if (budgets.reserve(ACME, BOUND, NOW) instanceof Reservation r) {
                admitted.incrementAndGet();
                budgets.settle(r, BOUND);
            }
        });

        assertThat(admitted.get()).isEqualTo(fitsDaily);
        for (BudgetStatus status : budgets.status(NOW)) {
            assertThat(status.spentNanoUsd()).isEqualTo(fitsDaily * BOUND);
            assertThat(status.heldNanoUsd()).isZero();
        }
    }

    /** Runs {@code attempt} {@code perThread} times on each of {@link #THREADS} threads, all released at once. */
    private void race(int perThread, Runnable attempt) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                for (int i = 0; i < perThread; i++) {
                    attempt.run();
                }
                return null;
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
    }
}
