/**
 * Token usage: the request inspector, the incremental response parsers (JSON, SSE, NDJSON) and local token estimation.
 */
@NullMarked
package dev.tollgate.core.usage;

import org.jspecify.annotations.NullMarked;
