package dev.tollgate.server.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Caps the distinct values one label may take: the first {@code max} values seen are kept, later
 * ones are reported as {@value #OTHER}. Lock-free; the cap may be passed by a few values when
 * threads race, never by more than the number of threads.
 */
final class BoundedLabel {

    static final String OTHER = "other";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger size = new AtomicInteger();
    private final String missing;

    /**
     * @param missing the value reported when there is none
     */
    BoundedLabel(int max, String missing) {
        this.max = max;
        this.missing = missing;
    }

    String valueOf(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return missing;
        }
        if (admitted.contains(value)) {
            return value;
        }
        if (size.get() >= max) {
            return OTHER;
        }
        if (admitted.add(value)) {
            size.incrementAndGet();
        }
        return value;
    }
}
