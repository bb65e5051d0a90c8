package dev.tollgate.server.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Finds the route of a request target by the longest matching path prefix. Immutable, thread-safe. */
public final class RouteTable {

    private final List<Route> byLongestPrefix;

    public RouteTable(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        this.byLongestPrefix = List.copyOf(sorted);
    }

    /** The route whose prefix is a whole leading path segment run of {@code target}, or null. */
    public @Nullable Route match(String target) {
        for (Route route : byLongestPrefix) {
            String prefix = route.prefix();
            if (route.isRoot() && target.startsWith("/")) {
                return route; // sorted last: every longer prefix was tried first
            }
            if (target.startsWith(prefix)) {
                if (target.length() == prefix.length()) {
                    return route;
                }
                char next = target.charAt(prefix.length());
                if (next == '/' || next == '?') {
                    return route;
                }
            }
        }
        return null;
    }

    public List<Route> routes() {
        return byLongestPrefix;
    }
}
