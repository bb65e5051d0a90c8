/**
 * The admin listener: /metrics, /healthz, /readyz.
 */
@NullMarked
package dev.tollgate.server.admin;

import org.jspecify.annotations.NullMarked;
