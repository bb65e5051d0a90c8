package dev.tollgate.server.config;

import dev.tollgate.core.budget.BudgetAction;
import dev.tollgate.core.budget.BudgetWindow;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A spending limit of one tenant over one window.
 *
 * @param limitUsd the limit in USD, exactly as written in the config; {@code > 0}
 */
public record BudgetConfig(BudgetWindow window, BigDecimal limitUsd, BudgetAction action) {

    public BudgetConfig {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(action, "action");
        if (limitUsd.signum() <= 0) {
            throw new IllegalArgumentException("limitUsd: " + limitUsd + " (expected: > 0)");
        }
    }
}
