/**
 * The record of one finished request, and the listener seam through which metrics, the ledger and budgets learn of it.
 */
@NullMarked
package dev.tollgate.core.exchange;

import org.jspecify.annotations.NullMarked;
