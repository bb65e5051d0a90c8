/**
 * Pooled keep-alive connections to each route's upstream, confined to the event loop that uses them.
 */
@NullMarked
package dev.tollgate.server.upstream;

import org.jspecify.annotations.NullMarked;
