/**
 * Configuration that can change while serving ({@code POST /admin/reload}): tenants and their keys,
 * budgets and pricing, swapped atomically between requests; listeners and routes stay as started.
 */
@NullMarked
package dev.tollgate.server.reload;

import org.jspecify.annotations.NullMarked;
