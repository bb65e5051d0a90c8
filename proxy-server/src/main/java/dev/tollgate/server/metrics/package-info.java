/**
 * Prometheus export: meters cached per label set so that the per-request path does no registry look-up.
 */
@NullMarked
package dev.tollgate.server.metrics;

import org.jspecify.annotations.NullMarked;
