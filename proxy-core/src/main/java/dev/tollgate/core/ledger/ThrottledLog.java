package dev.tollgate.core.ledger;

import java.lang.System.Logger.Level;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Logs one kind of repeated failure at most once per interval, with how many were left out, so that a
 * sink that fails on every batch does not flood the log (as Armeria does for dropped connections).
 * Not thread-safe: one per writer thread.
 */
final class ThrottledLog {

    private final System.Logger log;
    private final LongSupplier ticker;
    private final long intervalNanos;
    private boolean logged;
    private long lastNanos;
    private long suppressed;

    ThrottledLog(System.Logger log, LongSupplier ticker, long intervalNanos) {
        this.log = log;
        this.ticker = ticker;
        this.intervalNanos = intervalNanos;
    }

    void log(Level level, String message, @Nullable Throwable cause) {
        long now = ticker.getAsLong();
        if (logged && now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        String text = suppressed == 0 ? message : message + " (" + suppressed + " similar messages suppressed)";
        if (cause == null) {
            log.log(level, text);
        } else {
            log.log(level, text, cause);
        }
        logged = true;
        lastNanos = now;
        suppressed = 0;
    }
}
