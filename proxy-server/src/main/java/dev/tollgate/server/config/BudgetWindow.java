package dev.tollgate.server.config;

/** The period a budget covers: UTC calendar periods, so every window starts from zero by itself. */
public enum BudgetWindow {
    DAILY,
    /** ISO weeks, starting on Monday 00:00 UTC. */
    WEEKLY,
    MONTHLY
}
