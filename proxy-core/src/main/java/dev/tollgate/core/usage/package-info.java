/**
 * Token usage (CONTRACT §5). {@link dev.tollgate.core.usage.RequestInspector} reads a request body as
 * it streams and learns the model, the stream flag and where to ask an OpenAI stream for its usage;
 * {@link dev.tollgate.core.usage.UsageParsers} makes one {@link dev.tollgate.core.usage.ResponseUsageParser}
 * per response, which reads the provider's usage from a JSON body, SSE events or NDJSON lines with
 * an incremental scanner of its own ({@code JsonScanner}), never buffering the body or keeping the
 * caller's buffers; and
 * {@link dev.tollgate.core.usage.TokenEstimator} counts tokens with jtokkit when none were reported.
 * Everything but the estimator is meant for an event loop: no blocking, little allocation, and no
 * exception on bad bytes.
 */
@NullMarked
package dev.tollgate.core.usage;

import org.jspecify.annotations.NullMarked;
