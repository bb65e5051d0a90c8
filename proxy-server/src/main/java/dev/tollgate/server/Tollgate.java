package dev.tollgate.server;

import dev.tollgate.server.config.ProxyConfig;

/** Placeholder until the server lands: the real one starts the listeners and blocks until shutdown. */
public final class Tollgate {

    private Tollgate() {}

    public static void runUntilShutdown(ProxyConfig config) throws Exception {
        throw new UnsupportedOperationException("the server is not part of this build yet");
    }
}
