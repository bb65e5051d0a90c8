package dev.tollgate.core.ledger;

import java.time.LocalDate;

/**
 * One tenant's requests and cost on one UTC day (by {@code ts_start}): what budgets rebuild a window's
 * spend from at start-up.
 *
 * @param tenant      the tenant id
 * @param day         the UTC day the requests started on
 * @param requests    how many records
 * @param costNanoUsd their summed cost, exact, in nano-USD
 */
public record DailySpend(String tenant, LocalDate day, long requests, long costNanoUsd) {}
