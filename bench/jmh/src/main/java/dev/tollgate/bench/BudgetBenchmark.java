package dev.tollgate.bench;

import dev.tollgate.core.budget.Budget;
import dev.tollgate.core.budget.BudgetAction;
import dev.tollgate.core.budget.BudgetDecision;
import dev.tollgate.core.budget.BudgetEnforcer;
import dev.tollgate.core.budget.BudgetWindow;
import dev.tollgate.core.budget.Reservation;
import dev.tollgate.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A hard budget's admission and settlement for one request: {@link BudgetEnforcer#reserve} (one
 * compare-and-set per reject budget) then {@link BudgetEnforcer#settle}. The enforcer is shared by
 * all threads, as the server's is. {@code tenants=1} makes every thread hit the same counters (one
 * tenant's traffic on every event loop: the worst case for contention); with {@code tenants=8} each
 * thread takes its own tenants (thread i the tenants i, i + threads, ...), so the threads share no
 * counter and any loss of scaling is the enforcer's own memory layout. One op = one request.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class BudgetBenchmark {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final long BOUND = 2_000_000L;     // 0.002 USD held per request
    static final long ACTUAL = 1_200_000L;    // 0.0012 USD settled

    @Param({"1", "8"})
    public int tenants;

    BudgetEnforcer enforcer;
    TenantId[] ids;

    @Setup
    public void setUp() {
        ids = new TenantId[tenants];
        List<Budget> budgets = new java.util.ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            ids[t] = TenantId.of("tenant-" + t);
            // Limits no benchmark run can reach, so every request is admitted and settled.
            budgets.add(Budget.of(ids[t], BudgetWindow.MONTHLY, Long.MAX_VALUE / 4, BudgetAction.REJECT));
            budgets.add(Budget.of(ids[t], BudgetWindow.DAILY, Long.MAX_VALUE / 4, BudgetAction.ALERT_ONLY));
        }
        enforcer = BudgetEnforcer.of(budgets);
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        int step;

        @Setup
        public void setUp(BudgetBenchmark shared, ThreadParams thread) {
            int threads = thread.getThreadCount();
            boolean ownTenants = shared.tenants >= threads;
            next = ownTenants ? thread.getThreadIndex() : 0;
            step = ownTenants ? threads : 1;
        }
    }

    @Benchmark
    public boolean reserveAndSettle(Cursor cursor) {
        TenantId tenant = ids[cursor.next % ids.length];
        cursor.next += cursor.step;
        BudgetDecision decision = enforcer.reserve(tenant, BOUND, NOW);
        if (!(decision instanceof Reservation reservation)) {
            throw new IllegalStateException("refused: " + decision);
        }
        return enforcer.settle(reservation, ACTUAL);
    }
}
