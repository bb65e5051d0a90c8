/**
 * Splits SSE and NDJSON bodies into records as bytes pass, without copying whole bodies.
 */
@NullMarked
package dev.tollgate.server.sse;

import org.jspecify.annotations.NullMarked;
