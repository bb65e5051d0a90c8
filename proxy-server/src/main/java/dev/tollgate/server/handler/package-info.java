/**
 * One Netty handler per concern on the request's path: route, tenant, body, relay.
 */
@NullMarked
package dev.tollgate.server.handler;

import org.jspecify.annotations.NullMarked;
