/**
 * HTTP helpers shared by the listeners: provider-shaped error responses and hop-by-hop header handling.
 */
@NullMarked
package dev.tollgate.server.http;

import org.jspecify.annotations.NullMarked;
