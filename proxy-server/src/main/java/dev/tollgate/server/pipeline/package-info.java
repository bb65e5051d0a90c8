/**
 * Builds the client-facing and upstream-facing Netty pipelines; no request logic lives here.
 */
@NullMarked
package dev.tollgate.server.pipeline;

import org.jspecify.annotations.NullMarked;
