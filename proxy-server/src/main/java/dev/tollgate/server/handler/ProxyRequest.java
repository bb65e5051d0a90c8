package dev.tollgate.server.handler;

import dev.tollgate.server.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A whole client request, ready to forward: its head, its body (possibly rewritten) and its
 * exchange. Reference-counted through the body: whoever consumes it releases it.
 */
public final class ProxyRequest extends DefaultByteBufHolder {

    private final HttpRequest head;
    private final Exchange exchange;

    ProxyRequest(HttpRequest head, ByteBuf body, Exchange exchange) {
        super(body);
        this.head = head;
        this.exchange = exchange;
    }

    public HttpRequest head() {
        return head;
    }

    public Exchange exchange() {
        return exchange;
    }
}
