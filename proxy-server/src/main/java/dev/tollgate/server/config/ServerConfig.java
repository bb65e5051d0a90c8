package dev.tollgate.server.config;

import java.util.Objects;

/**
 * The {@code server} section: listener addresses, the admin token and connection limits.
 *
 * @param bind address of the proxy listener
 * @param port port of the proxy listener; 0 picks a free port (tests)
 * @param adminBind address of the admin listener ({@code /metrics}, {@code /healthz}, {@code /admin/...})
 * @param adminPort port of the admin listener; 0 picks a free port (tests)
 * @param adminToken bearer token for {@code /admin/*}; {@code ""} when unset
 * @param maxRequestBodyBytes larger request bodies are refused with 413
 * @param upstreamConnectTimeoutMillis TCP (and TLS) connect timeout towards an upstream
 * @param upstreamIdleTimeoutMillis no byte from the upstream for this long ends the exchange (504 or an error event)
 * @param maxConnectionsPerRoute upper bound of pooled upstream connections per route
 * @param shutdownGraceMillis on SIGTERM, how long in-flight requests (streams) may run on after the
 *     listener stops accepting
 * @param clientIdleTimeoutMillis a client connection with no request under way must deliver a whole
 *     request head within this time, or it is closed (idle keep-alive, slowloris)
 * @param clientBodyTimeoutMillis a request body may pause this long between chunks
 * @param ioThreads event loops serving connections; 0 for one per core
 * @param busyPollMicros how long an event loop that ran out of work keeps polling for I/O before it
 *     sleeps; 0 sleeps at once
 */
public record ServerConfig(
        String bind,
        int port,
        String adminBind,
        int adminPort,
        String adminToken,
        long maxRequestBodyBytes,
        long upstreamConnectTimeoutMillis,
        long upstreamIdleTimeoutMillis,
        int maxConnectionsPerRoute,
        long shutdownGraceMillis,
        long clientIdleTimeoutMillis,
        long clientBodyTimeoutMillis,
        int ioThreads,
        long busyPollMicros) {

    /**
     * Long enough to cover a fast upstream's answer and a client's next request on a keep-alive
     * connection, short enough that an idle proxy sleeps almost at once (see bench/README.md).
     */
    public static final long DEFAULT_BUSY_POLL_MICROS = 50;
    /** A task handed to a polling event loop from another thread waits at most this long. */
    public static final long MAX_BUSY_POLL_MICROS = 1_000;

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(adminBind, "adminBind");
        Objects.requireNonNull(adminToken, "adminToken");
        checkPort("port", port);
        checkPort("adminPort", adminPort);
        checkPositive("maxRequestBodyBytes", maxRequestBodyBytes);
        checkPositive("upstreamConnectTimeoutMillis", upstreamConnectTimeoutMillis);
        checkPositive("upstreamIdleTimeoutMillis", upstreamIdleTimeoutMillis);
        checkPositive("maxConnectionsPerRoute", maxConnectionsPerRoute);
        checkPositive("clientIdleTimeoutMillis", clientIdleTimeoutMillis);
        checkPositive("clientBodyTimeoutMillis", clientBodyTimeoutMillis);
        checkNotNegative("shutdownGraceMillis", shutdownGraceMillis);
        checkNotNegative("ioThreads", ioThreads);
        if (busyPollMicros < 0 || busyPollMicros > MAX_BUSY_POLL_MICROS) {
            throw new IllegalArgumentException(
                    "busyPollMicros: " + busyPollMicros + " (expected: 0-" + MAX_BUSY_POLL_MICROS + ")");
        }
    }

    /** The values CONTRACT.md §4 documents, with no admin token. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, "127.0.0.1", 9464, "", 10_485_760L, 5_000L, 300_000L, 128, 30_000L, 60_000L, 30_000L, 0,
                DEFAULT_BUSY_POLL_MICROS);
    }

    /** Event-loop threads to serve connections with: {@link #ioThreads()}, or one per core when that is 0. */
    public int ioThreadsOrCores() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    /** Whether an admin token is configured. */
    public boolean hasAdminToken() {
        return !adminToken.isEmpty();
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + ": " + port + " (expected: 0-65535)");
        }
    }

    private static void checkNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    private static void checkPositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
