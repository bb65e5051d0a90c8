package dev.tollgate.core.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lock-free bounded multi-producer queue: a {@link ConcurrentLinkedQueue} with its size kept in an
 * {@link AtomicInteger}, so that {@link #offer} never blocks an event loop (an {@code ArrayBlockingQueue}
 * takes a lock). The bound is exact: a slot is reserved before the item is linked in.
 */
final class BoundedQueue<T> {

    /** What {@link #offer} returns when the queue is full. */
    static final int FULL = -1;

    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    BoundedQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds an item; returns the size including it, or {@link #FULL} without adding it. Any thread. */
    int offer(T item) {
        int n = size.incrementAndGet();
        if (n > capacity) {
            size.decrementAndGet();
            return FULL;
        }
        items.offer(item);
        return n;
    }

    /** Removes up to {@code max} items, oldest first. One consumer thread at a time. */
    List<T> drain(int max) {
        List<T> out = new ArrayList<>(Math.min(max, Math.max(size.get(), 1)));
        while (out.size() < max) {
            T item = items.poll();
            if (item == null) {
                break;
            }
            out.add(item);
        }
        size.addAndGet(-out.size());
        return out;
    }

    /** Items offered and not drained; may count one whose offer has not finished linking it in. */
    int size() {
        return size.get();
    }
}
