package dev.tollgate.server.cli;

import dev.tollgate.server.config.ProxyConfig;

/** Runs the proxy with a loaded config until it shuts down; {@code Tollgate::runUntilShutdown} in production. */
@FunctionalInterface
public interface ServerLauncher {

    /** Returns once the server has stopped; throws when it cannot start or fails. */
    void run(ProxyConfig config) throws Exception;
}
