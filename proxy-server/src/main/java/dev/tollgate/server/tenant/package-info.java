/**
 * Resolves the paying tenant of a request from a virtual key or a trusted header.
 */
@NullMarked
package dev.tollgate.server.tenant;

import org.jspecify.annotations.NullMarked;
