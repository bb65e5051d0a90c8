/**
 * One proxied request's state from first byte to ledger record, and the completion that prices it and tells the listeners.
 */
@NullMarked
package dev.tollgate.server.exchange;

import org.jspecify.annotations.NullMarked;
