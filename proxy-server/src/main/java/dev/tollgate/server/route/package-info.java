/**
 * Routes: which upstream a path prefix goes to, and how to reach it.
 */
@NullMarked
package dev.tollgate.server.route;

import org.jspecify.annotations.NullMarked;
