package dev.tollgate.server.upstream;

import io.netty.handler.codec.http.HttpObject;

/** Receives what one upstream connection says while it serves one exchange. Event-loop confined. */
public interface UpstreamListener {

    /** An {@code HttpResponse} head or body content; the listener owns it and must release it. */
    void onUpstreamMessage(HttpObject message);

    /**
     * The messages of one read from the socket have all been delivered: the moment to flush what
     * they produced, in one write rather than one per message.
     */
    void onUpstreamReadComplete();

    /** No byte arrived for longer than the idle timeout. */
    void onUpstreamIdle();

    /** The connection closed (or failed) before the response ended. */
    void onUpstreamClosed(Throwable cause);
}
