/**
 * Builds the core price table from the pricing section of the config.
 */
@NullMarked
package dev.tollgate.server.pricing;

import org.jspecify.annotations.NullMarked;
