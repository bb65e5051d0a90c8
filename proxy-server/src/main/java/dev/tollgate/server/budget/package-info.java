/**
 * Turns the configured budgets into the core {@link dev.tollgate.core.budget.BudgetEnforcer} that the
 * {@code budget-gate} handler consults and the completion settles.
 */
@NullMarked
package dev.tollgate.server.budget;

import org.jspecify.annotations.NullMarked;
