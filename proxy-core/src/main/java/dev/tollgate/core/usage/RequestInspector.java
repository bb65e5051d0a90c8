package dev.tollgate.core.usage;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body as it streams through the proxy, without buffering it, and learns what the
 * proxy needs before the response arrives: the model, whether a stream was asked for, the output
 * limit, a sample of the prompt text, and where to insert {@code stream_options.include_usage} so
 * that an OpenAI stream reports its usage (CONTRACT §5). It also checks that the body is one JSON
 * object, which every metered endpoint requires.
 *
 * <pre>{@code
 * RequestInspector inspector = RequestInspector.forRequest(provider, endpoint, true);
 * for (ByteBuffer chunk : bodyChunks) {
 *     inspector.onBytes(chunk);          // never throws; reads the chunk without keeping it
 * }
 * RequestFacts facts = inspector.finish();   // or MalformedRequestException -> 400
 * BodyInsertion insertion = facts.usageInjection();
 * // if non-null: forward body[0, insertion.offset()) + insertion.bytes() + body[insertion.offset(), end)
 * }</pre>
 *
 * <p>One instance per request, driven by one thread (an event loop); the bytes are read with an
 * incremental scanner, so each call costs time proportional to its chunk only. After the first
 * problem the remaining bytes are ignored and {@link #finish()} reports it.
 */
public final class RequestInspector {

    private final ProviderKind provider;
    private final Endpoint endpoint;
    private final boolean injectStreamUsage;
    private final RequestFields fields = new RequestFields();
    private @Nullable MalformedRequestException failure;
    private @Nullable RequestFacts facts;
    private boolean finished;

    private RequestInspector(ProviderKind provider, Endpoint endpoint, boolean injectStreamUsage) {
        this.provider = provider;
        this.endpoint = endpoint;
        this.injectStreamUsage = injectStreamUsage;
    }

    /**
     * A new inspector for one request body.
     *
     * @param provider          the route's wire dialect
     * @param endpoint          the endpoint the request is for
     * @param injectStreamUsage whether the proxy may ask an OpenAI or OpenAI-compatible chat or
     *                          completions stream to report usage when the client did not; the
     *                          resulting {@link RequestFacts#usageInjection()} is non-null only then
     */
    public static RequestInspector forRequest(ProviderKind provider, Endpoint endpoint, boolean injectStreamUsage) {
        return new RequestInspector(provider, endpoint, injectStreamUsage);
    }

    /**
     * Like {@link #forRequest(ProviderKind, Endpoint, boolean)}, for a body of about
     * {@code bodyBytes} (its {@code Content-Length}; negative when unknown): the prompt sample is
     * allocated once at that size instead of growing as the text arrives.
     */
    public static RequestInspector forRequest(ProviderKind provider, Endpoint endpoint, boolean injectStreamUsage,
            long bodyBytes) {
        RequestInspector inspector = new RequestInspector(provider, endpoint, injectStreamUsage);
        inspector.fields.expectBodyBytes(bodyBytes);
        return inspector;
    }

    /**
     * Reads the next chunk of the body: its remaining bytes, without changing its position or
     * keeping a reference to it after returning. Never throws: bad bytes are reported by
     * {@link #finish()}, and bytes after {@link #finish()} are ignored.
     */
    public void onBytes(ByteBuffer chunk) {
        if (finished || failure != null || !chunk.hasRemaining()) {
            return;
        }
        try {
            fields.walker().feed(chunk);
            checkStructure();
        } catch (MalformedJsonException | RuntimeException e) {
            // Whatever the client's bytes make the scanner throw becomes a 400 at finish(), never an
            // exception on the event loop.
            fail(e);
        }
    }

    /**
     * Ends the body and returns what it said, after the last chunk. Calling it again returns the
     * same facts (or throws the same exception).
     *
     * @throws MalformedRequestException the body is not one JSON object in UTF-8 (its message is
     *     safe to send to the client)
     */
    public RequestFacts finish() throws MalformedRequestException {
        if (finished) {
            return result();
        }
        finished = true;
        if (failure == null) {
            try {
                fields.walker().endOfInput();
                checkStructure();
                if (!fields.rootSeen()) {
                    failure = new MalformedRequestException("the request body is empty", -1);
                }
            } catch (MalformedJsonException | RuntimeException e) {
                fail(e);
            }
        }
        if (failure == null) {
            facts = fields.facts(provider, endpoint, injectStreamUsage);
        }
        return result();
    }

    private RequestFacts result() throws MalformedRequestException {
        if (failure != null) {
            throw failure;
        }
        return Objects.requireNonNull(facts);
    }

    private void checkStructure() {
        String problem = fields.problem();
        if (problem != null) {
            failure = new MalformedRequestException(problem, fields.problemOffset());
        }
    }

    /** Turns a parse failure into a message that names the problem and place but quotes nothing. */
    private void fail(Exception e) {
        if (failure != null) {
            return;
        }
        MalformedJsonException.Problem problem = e instanceof MalformedJsonException m ? m.problem() : null;
        long offset = e instanceof MalformedJsonException m ? m.byteOffset() : Math.max(0, fields.walker().consumedBytes() - 1);
        String what;
        if (problem == MalformedJsonException.Problem.LIMIT) {
            what = "the JSON exceeds the parser's limits (nesting depth, string or number length)";
        } else if (problem == MalformedJsonException.Problem.UTF8) {
            what = "the body is not valid UTF-8";
        } else if (fields.rootClosed()) {
            what = "unexpected data after the top-level JSON object";
        } else if (problem == MalformedJsonException.Problem.TRUNCATED) {
            what = "the body ends before the JSON value is complete";
        } else {
            what = "the body is not valid JSON";
        }
        failure = new MalformedRequestException(what, offset);
        fields.walker().reset();
    }
}
