/**
 * The durable per-request ledger (CONTRACT §8) and chargeback reports (§2 {@code report}).
 *
 * <p>{@link dev.tollgate.core.ledger.LedgerWriter} receives every finished request as an
 * {@link dev.tollgate.core.exchange.ExchangeListener}, queues it without blocking, and writes batches to a
 * {@link dev.tollgate.core.ledger.LedgerSink} from its own thread; records the sink cannot take wait in a
 * spill directory until it recovers. {@link dev.tollgate.core.ledger.LedgerReader} reads records back and
 * {@link dev.tollgate.core.ledger.UsageReport} sums them, exactly, into csv, json or a table.
 */
@NullMarked
package dev.tollgate.core.ledger;

import org.jspecify.annotations.NullMarked;
