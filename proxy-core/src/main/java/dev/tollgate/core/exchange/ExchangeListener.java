package dev.tollgate.core.exchange;

/**
 * Learns of every finished request exactly once. Called from an event-loop thread or from the
 * token-estimation executor, so implementations must be thread-safe and must not block: hand slow
 * work (disk, network) to a queue of their own.
 */
@FunctionalInterface
public interface ExchangeListener {

    void onExchange(ExchangeRecord record);
}
