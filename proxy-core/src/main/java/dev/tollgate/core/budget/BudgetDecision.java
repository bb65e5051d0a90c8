package dev.tollgate.core.budget;

/**
 * The answer of {@link BudgetEnforcer#reserve}: a {@link Reservation} to settle once the request ends,
 * or a {@link Refusal} to send back as 429.
 *
 * <pre>{@code
 * BudgetDecision decision = enforcer.reserve(tenant, upperBoundNanoUsd, startedAt);
 * if (decision instanceof Refusal refusal) {
 *     reply429(refusal.retryAfterSeconds());
 *     return;
 * }
 * Reservation reservation = (Reservation) decision;
 * // ... forward; when the request ends, exactly one of:
 * enforcer.settle(reservation, actualCostNanoUsd);
 * enforcer.release(reservation);
 * }</pre>
 */
public sealed interface BudgetDecision permits Reservation, Refusal {

    /** Whether the request may be forwarded. */
    boolean admitted();
}
