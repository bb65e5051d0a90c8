/**
 * What Tollgate knows about the upstream APIs it fronts: the provider kinds and the endpoints whose usage it reads.
 */
@NullMarked
package dev.tollgate.core.provider;

import org.jspecify.annotations.NullMarked;
