package dev.tollgate.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BudgetEnforcerTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final long USD = 1_000_000_000L;
    private static final Instant NOV_27 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void admitsWhileSpendPlusHoldsFitsAndRefusesAfter() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.MONTHLY, 10 * USD, BudgetAction.REJECT)));

        Reservation first = admitted(budgets.reserve(ACME, 4 * USD, NOV_27));
        Reservation second = admitted(budgets.reserve(ACME, 4 * USD, NOV_27));
        assertThat(second.remainingNanoUsd()).as("both holds deducted").isEqualTo(2 * USD);

        BudgetDecision third = budgets.reserve(ACME, 4 * USD, NOV_27);
        assertThat(third).isInstanceOf(Refusal.class);
        Refusal refusal = (Refusal) third;
        assertThat(refusal.remainingNanoUsd()).isEqualTo(2 * USD);
        assertThat(refusal.budget().window()).isEqualTo(BudgetWindow.MONTHLY);
        assertThat(refusal.period().id()).isEqualTo("2026-11");
        assertThat(refusal.retryAfterSeconds()).as("until 2026-12-01T00:00Z")
                .isEqualTo(Duration.between(NOV_27, Instant.parse("2026-12-01T00:00:00Z")).getSeconds());

        assertThat(budgets.reserve(ACME, 2 * USD, NOV_27).admitted()).as("an exact fit is admitted").isTrue();
        assertThat(budgets.reserve(ACME, 0, NOV_27).admitted()).as("an exhausted budget refuses even free requests").isFalse();
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOV_27)).as("holds are not spend").isZero();
        assertThat(first.isSettled()).isFalse();
    }

    @Test
    void reconfigureKeepsSpendAndHoldsOfKeptBudgetsAndSeedsNewOnesFromTheLedger() {
        BudgetEnforcer before = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.MONTHLY, 100 * USD, BudgetAction.REJECT)));
        before.settle(admitted(before.reserve(ACME, 30 * USD, NOV_27)), 30 * USD);
        Reservation inFlight = admitted(before.reserve(ACME, 20 * USD, NOV_27));
        SpendSource ledger = periods -> Map.of(
                SpendKey.of(GLOBEX, "2026-11-27"), 4 * USD,
                SpendKey.of(ACME, "2026-11"), 999 * USD); // already counted in memory: must not be added again

        BudgetEnforcer after = before.reconfigure(List.of(
                Budget.of(ACME, BudgetWindow.MONTHLY, 50 * USD, BudgetAction.REJECT),
                Budget.of(GLOBEX, BudgetWindow.DAILY, 10 * USD, BudgetAction.REJECT)), ledger, NOV_27);

        assertThat(after.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOV_27)).isEqualTo(30 * USD);
        assertThat(after.spentNanoUsd(GLOBEX, BudgetWindow.DAILY, NOV_27)).isEqualTo(4 * USD);
        assertThat(after.remainingNanoUsd(ACME, NOV_27)).as("new limit, old spend and the open hold").isZero();
        assertThat(after.reserve(ACME, 1, NOV_27).admitted()).isFalse();

        before.settle(inFlight, 15 * USD);
        assertThat(after.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOV_27)).as("admitted before, settled after").isEqualTo(45 * USD);
        assertThat(after.reserve(ACME, 5 * USD, NOV_27).admitted()).isTrue();
    }

    @Test
    void settleReplacesTheHoldWithTheActualCostAndReleaseGivesItBack() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.DAILY, 10 * USD, BudgetAction.REJECT)));
        Reservation a = admitted(budgets.reserve(ACME, 6 * USD, NOV_27));
        Reservation b = admitted(budgets.reserve(ACME, 4 * USD, NOV_27));
        assertThat(budgets.remainingNanoUsd(ACME, NOV_27)).isZero();

        assertThat(budgets.settle(a, 1_500_000_000L)).isTrue();
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.DAILY, NOV_27)).isEqualTo(1_500_000_000L);
        assertThat(budgets.remainingNanoUsd(ACME, NOV_27)).as("10 - 1.5 spent - 4 held").isEqualTo(4_500_000_000L);

        assertThat(budgets.release(b)).isTrue();
        assertThat(budgets.remainingNanoUsd(ACME, NOV_27)).isEqualTo(8_500_000_000L);
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.DAILY, NOV_27)).isEqualTo(1_500_000_000L);

        assertThat(budgets.settle(a, 9 * USD)).as("only the first settle counts").isFalse();
        assertThat(budgets.release(b)).isFalse();
        assertThat(budgets.settle(b, USD)).isFalse();
        assertThat(budgets.remainingNanoUsd(ACME, NOV_27)).isEqualTo(8_500_000_000L);
        assertThat(a.isSettled()).isTrue();

        List<BudgetStatus> status = budgets.status(NOV_27);
        assertThat(status).singleElement().satisfies(s -> {
            assertThat(s.spentNanoUsd()).isEqualTo(1_500_000_000L);
            assertThat(s.heldNanoUsd()).isZero();
            assertThat(s.remainingNanoUsd()).isEqualTo(8_500_000_000L);
            assertThat(s.period().id()).isEqualTo("2026-11-27");
        });
    }

    @Test
    void settlingAboveTheHoldIsRecordedAndShutsTheBudget() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.DAILY, 10 * USD, BudgetAction.REJECT)));
        Reservation r = admitted(budgets.reserve(ACME, 9 * USD, NOV_27));

        budgets.settle(r, 12 * USD); // the upstream ignored the output limit: record what it billed

        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.DAILY, NOV_27)).isEqualTo(12 * USD);
        assertThat(budgets.remainingNanoUsd(ACME, NOV_27)).isZero();
        assertThat(budgets.reserve(ACME, 1, NOV_27).admitted()).isFalse();
    }

    @Test
    void alertOnlyBudgetsNeverRefuseButCountSpend() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.DAILY, 1 * USD, BudgetAction.ALERT_ONLY)));
        assertThat(budgets.rejects(ACME)).isFalse();

        for (int i = 0; i < 5; i++) {
            Reservation r = admitted(budgets.reserve(ACME, 2 * USD, NOV_27));
            assertThat(r.remainingNanoUsd()).as("alert-only budgets hold nothing").isEqualTo(i == 0 ? USD : 0);
            budgets.settle(r, USD);
        }
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.DAILY, NOV_27)).isEqualTo(5 * USD);
        assertThat(budgets.remainingNanoUsd(ACME, NOV_27)).as("floored at zero").isZero();
    }

    @Test
    void settleCountsInEveryBudgetAndTheTightestRemainingWins() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(
                Budget.of(ACME, BudgetWindow.MONTHLY, 100 * USD, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.WEEKLY, 50 * USD, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.DAILY, 20 * USD, BudgetAction.ALERT_ONLY)));

        Reservation r = admitted(budgets.reserve(ACME, 10 * USD, NOV_27));
        assertThat(r.remainingNanoUsd()).as("weekly: 50 - 10 held; daily holds nothing: 20").isEqualTo(20 * USD);
        budgets.settle(r, 15 * USD);

        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOV_27)).isEqualTo(15 * USD);
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.WEEKLY, NOV_27)).isEqualTo(15 * USD);
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.DAILY, NOV_27)).as("alert-only budgets count spend too")
                .isEqualTo(15 * USD);
        assertThat(budgets.remainingNanoUsd(ACME, NOV_27)).isEqualTo(5 * USD);
        assertThat(budgets.remainingNanoUsd(GLOBEX, NOV_27)).as("no budgets").isEqualTo(-1);
    }

    @Test
    void aRefusalGivesBackHoldsAlreadyTakenAndWaitsForTheLastRefusingWindow() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(
                Budget.of(ACME, BudgetWindow.MONTHLY, 100 * USD, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.DAILY, 10 * USD, BudgetAction.REJECT)));
        budgets.settle(admitted(budgets.reserve(ACME, 8 * USD, NOV_27)), 8 * USD);

        Refusal daily = (Refusal) budgets.reserve(ACME, 5 * USD, NOV_27);
        assertThat(daily.budget().window()).isEqualTo(BudgetWindow.DAILY);
        assertThat(daily.retryAfterSeconds()).as("until midnight UTC").isEqualTo(14 * 3600);
        assertThat(budgets.status(NOV_27).get(0).heldNanoUsd()).as("the monthly hold was given back").isZero();

        budgets.seed(ACME, "2026-11", 90 * USD);
        Refusal both = (Refusal) budgets.reserve(ACME, 5 * USD, NOV_27);
        assertThat(both.budget().window()).as("the first refusing budget").isEqualTo(BudgetWindow.MONTHLY);
        assertThat(both.retryAfterSeconds()).as("the daily one would still refuse until the month ends")
                .isEqualTo(Duration.between(NOV_27, Instant.parse("2026-12-01T00:00:00Z")).getSeconds());
    }

    @Test
    void aNewWindowStartsFromZeroAndOldHoldsSettleIntoTheirOwnWindow() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.MONTHLY, 10 * USD, BudgetAction.REJECT)));
        Instant lastSecondOfNovember = Instant.parse("2026-11-30T23:59:59Z");
        Reservation late = admitted(budgets.reserve(ACME, 6 * USD, lastSecondOfNovember));
        budgets.settle(admitted(budgets.reserve(ACME, 4 * USD, lastSecondOfNovember)), 4 * USD);
        assertThat(budgets.reserve(ACME, 1, lastSecondOfNovember).admitted()).isFalse();

        Instant december = Instant.parse("2026-12-01T00:00:00Z");
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, december)).as("nothing spent yet in December").isZero();
        assertThat(budgets.remainingNanoUsd(ACME, december)).isEqualTo(10 * USD);
        Reservation fresh = admitted(budgets.reserve(ACME, 10 * USD, december));

        budgets.settle(late, 5 * USD); // a November request that ended in December
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, december)).isZero();
        assertThat(fresh.remainingNanoUsd()).isZero();
        budgets.settle(fresh, 3 * USD);
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, december)).isEqualTo(3 * USD);
    }

    @Test
    void anInstantBeforeTheCurrentWindowCountsInTheCurrentWindow() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.DAILY, 10 * USD, BudgetAction.REJECT)));
        budgets.settle(admitted(budgets.reserve(ACME, USD, NOV_27)), USD);

        Reservation stepBack = admitted(budgets.reserve(ACME, USD, NOV_27.minus(Duration.ofDays(1))));
        budgets.settle(stepBack, USD);

        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.DAILY, NOV_27)).isEqualTo(2 * USD);
    }

    @Test
    void seedAddsPastSpendToTheCurrentWindowOnly() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(
                Budget.of(ACME, BudgetWindow.MONTHLY, 10 * USD, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.WEEKLY, 10 * USD, BudgetAction.ALERT_ONLY)));
        budgets.reserve(ACME, 0, NOV_27); // starts November's tally

        assertThat(budgets.seed(ACME, "2026-11", 7 * USD)).isTrue();
        assertThat(budgets.seed(ACME, "2026-11", USD)).as("adds").isTrue();
        assertThat(budgets.seed(ACME, "2026-10", 5 * USD)).as("an ended month").isFalse();
        assertThat(budgets.seed(ACME, "2026-W48", 3 * USD)).as("starts the weekly tally").isTrue();
        assertThat(budgets.seed(ACME, "2026-11-27", 3 * USD)).as("no daily budget").isFalse();
        assertThat(budgets.seed(GLOBEX, "2026-11", 3 * USD)).as("no budgets").isFalse();
        assertThatThrownBy(() -> budgets.seed(ACME, "November", 1)).isInstanceOf(IllegalArgumentException.class);

        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOV_27)).isEqualTo(8 * USD);
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.WEEKLY, NOV_27)).isEqualTo(3 * USD);
        assertThat(budgets.reserve(ACME, 2 * USD, NOV_27)).isInstanceOf(Reservation.class);
        assertThat(budgets.reserve(ACME, 1, NOV_27)).as("seeded spend counts against the limit").isInstanceOf(Refusal.class);
    }

    @Test
    void seedFromAsksForTheCurrentPeriodsOfTheConfiguredWindows() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(
                Budget.of(ACME, BudgetWindow.MONTHLY, 10 * USD, BudgetAction.REJECT),
                Budget.of(GLOBEX, BudgetWindow.DAILY, 10 * USD, BudgetAction.REJECT)));
        AtomicReference<Set<BudgetPeriod>> asked = new AtomicReference<>();

        int applied = budgets.seedFrom(periods -> {
            asked.set(periods);
            return Map.of(
                    SpendKey.of(ACME, "2026-11"), 4 * USD,
                    SpendKey.of(ACME, "2026-10"), 9 * USD,         // not asked for: ignored
                    SpendKey.of(GLOBEX, "2026-11-27"), 2 * USD,
                    SpendKey.of(TenantId.of("initech"), "2026-11"), USD);
        }, NOV_27);

        assertThat(asked.get()).extracting(BudgetPeriod::id).containsExactlyInAnyOrder("2026-11", "2026-11-27");
        assertThat(applied).isEqualTo(2);
        assertThat(budgets.spentNanoUsd(ACME, BudgetWindow.MONTHLY, NOV_27)).isEqualTo(4 * USD);
        assertThat(budgets.spentNanoUsd(GLOBEX, BudgetWindow.DAILY, NOV_27)).isEqualTo(2 * USD);
    }

    @Test
    void tenantsWithoutBudgetsAreAdmittedWithAnEmptyReservation() {
        BudgetEnforcer budgets = BudgetEnforcer.none();
        Reservation r = admitted(budgets.reserve(ACME, Long.MAX_VALUE, NOV_27));

        assertThat(r.budgeted()).isFalse();
        assertThat(r.remainingNanoUsd()).isEqualTo(-1);
        assertThat(budgets.settle(r, USD)).isFalse();
        assertThat(budgets.hasBudgets(ACME)).isFalse();
    }

    @Test
    void refusesBadArguments() {
        BudgetEnforcer budgets = BudgetEnforcer.of(List.of(Budget.of(ACME, BudgetWindow.DAILY, USD, BudgetAction.REJECT)));
        assertThatThrownBy(() -> budgets.reserve(ACME, -1, NOV_27)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        Reservation r = admitted(budgets.reserve(ACME, 1, NOV_27));
        assertThatThrownBy(() -> budgets.settle(r, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(r.isSettled()).isFalse();
        assertThatThrownBy(() -> BudgetEnforcer.of(List.of(
                Budget.of(ACME, BudgetWindow.DAILY, USD, BudgetAction.REJECT),
                Budget.of(ACME, BudgetWindow.DAILY, 2 * USD, BudgetAction.ALERT_ONLY))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one budget per tenant and window");
        assertThatThrownBy(() -> Budget.of(ACME, BudgetWindow.DAILY, 0, BudgetAction.REJECT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Reservation admitted(BudgetDecision decision) {
        assertThat(decision).isInstanceOf(Reservation.class);
        return (Reservation) decision;
    }
}
