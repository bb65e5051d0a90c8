/**
 * The ledger's server side: the SQLite sink and reader (xerial sqlite-jdbc), the ledger metrics, and the choice
 * of sink from {@code ledger:} in the config. The ledger model, the writer, the jsonl sink and the reports
 * live in {@code dev.tollgate.core.ledger}.
 */
@NullMarked
package dev.tollgate.server.ledger;

import org.jspecify.annotations.NullMarked;
