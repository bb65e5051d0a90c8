/**
 * Model prices in integer femto-USD per token, the builtin catalog, price resolution and exact cost arithmetic.
 */
@NullMarked
package dev.tollgate.core.pricing;

import org.jspecify.annotations.NullMarked;
