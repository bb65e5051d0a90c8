/**
 * Tollgate's server process: {@link dev.tollgate.server.Main} (the command line) and
 * {@link dev.tollgate.server.Tollgate}, which runs the proxy and admin listeners for a
 * {@link dev.tollgate.server.config.ProxyConfig} until shutdown. Subpackages hold the configuration, the
 * command line, the Netty pipelines and the metrics.
 */
@NullMarked
package dev.tollgate.server;

import org.jspecify.annotations.NullMarked;
