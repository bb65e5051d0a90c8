/**
 * Who pays for a request: tenant ids, virtual-key hashing and attribution tags.
 */
@NullMarked
package dev.tollgate.core.tenant;

import org.jspecify.annotations.NullMarked;
