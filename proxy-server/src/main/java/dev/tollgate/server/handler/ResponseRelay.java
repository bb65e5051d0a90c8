package dev.tollgate.server.handler;

import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.UsdFormat;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.usage.ParsedUsage;
import dev.tollgate.core.usage.ResponseFormat;
import dev.tollgate.server.exchange.Exchange;
import dev.tollgate.server.http.ForwardedHeaders;
import dev.tollgate.server.http.ProxyError;
import dev.tollgate.server.http.TollgateHeaders;
import dev.tollgate.server.upstream.UpstreamListener;
import dev.tollgate.server.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one exchange across the proxy: forwards the request on a pooled upstream connection,
 * then relays the response to the client while its {@link ResponseBodyTap} reads the usage, and
 * completes the exchange exactly once, however it ends (last content, upstream close or timeout,
 * client hang-up). Confined to the client channel's event loop, which the upstream channel shares.
 */
final class ResponseRelay implements UpstreamListener {

    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);
    private static final AttributeKey<Boolean> USED = AttributeKey.valueOf("tollgate.upstream.used");
    static final int NO_RESPONSE = 499; // nginx's "client closed request"

    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final Exchange exchange;
    private final UpstreamPool pool;
    private final Runnable onDone;
    private final HttpRequest upstreamHead;

    /** The request body, kept until the response starts so a dead reused connection can be retried. */
    private @Nullable ByteBuf body;
    private @Nullable Channel upstream;
    private boolean reusedConnection;
    private boolean done;

    private @Nullable HttpResponse responseHead;
    private int status;
    private boolean upstreamKeepAlive;
    private boolean eventStream;
    private @Nullable ResponseBodyTap tap;
    private @Nullable HeldResponse held;

    ResponseRelay(ChannelHandlerContext ctx, ProxyContext proxy, ProxyRequest request, Runnable onDone) {
        this.ctx = ctx;
        this.proxy = proxy;
        this.exchange = request.exchange();
        this.pool = proxy.upstreams().pool(exchange.route(), ctx.channel().eventLoop());
        this.onDone = onDone;
        this.body = request.content().retain();
        // Takes over the client head's headers (edited in place): everything the exchange needed from
        // them (keep-alive, tenant, tags, request id) was read when the head arrived.
        this.upstreamHead = ForwardedHeaders.upstreamRequest(request.head(), exchange.route(),
                request.content().readableBytes(), exchange.credentialReplaced());
        request.release();
    }

    void start() {
        pool.acquire(this).addListener(f -> {
            Channel channel = (Channel) f.getNow();
            if (done) {
                if (channel != null) {
                    pool.release(channel, true);
                }
            } else if (f.isSuccess()) {
                send(channel);
            } else {
                log.debug("Cannot reach upstream of {}: {}", exchange.route().prefix(), f.cause().toString());
                failBeforeResponse(ProxyError.BAD_GATEWAY, "Upstream unreachable.", Outcome.UPSTREAM_ERROR);
            }
        });
    }

    private void send(Channel channel) {
        upstream = channel;
        reusedConnection = channel.hasAttr(USED);
        channel.attr(USED).set(Boolean.TRUE);
        // One message, so one trip through the upstream pipeline and its encoder. Forwarded once it is
        // on the socket: the wait for the pass's flush is the proxy's time, not the upstream's.
        channel.write(new DefaultFullHttpRequest(upstreamHead.protocolVersion(), upstreamHead.method(),
                upstreamHead.uri(), body.retainedDuplicate(), upstreamHead.headers(), EmptyHttpHeaders.INSTANCE, false))
                .addListener(written -> exchange.forwarded(proxy.nanoTime().getAsLong()));
        PassFlush.flushAfterPass(channel);
    }

    @Override
    public void onUpstreamMessage(HttpObject message) {
        if (done) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse head) {
            if (head.status().code() == 100) {
                ReferenceCountUtil.release(message);
                return; // an interim response; the real one follows
            }
            startResponse(head);
        }
        if (message instanceof HttpContent content) {
            try {
                relayContent(content);
            } finally {
                content.release();
            }
        }
    }

    private void startResponse(HttpResponse head) {
        releaseBody();
        responseHead = head;
        // Read now: clientResponse edits the head's headers (Connection goes, and whatever it names).
        status = head.status().code();
        upstreamKeepAlive = HttpUtil.isKeepAlive(head);
        ResponseFormat format = ResponseFormat.fromContentType(head.headers().get(HttpHeaderNames.CONTENT_TYPE));
        eventStream = format == ResponseFormat.SSE;
        boolean success = status >= 200 && status < 300;
        boolean filtering = success && exchange.facts() != null && exchange.facts().usageInjection() != null
                && format == ResponseFormat.SSE;
        if (exchange.endpoint().isMetered()) {
            tap = ResponseBodyTap.create(exchange.route().provider(), exchange.endpoint(), format, filtering, ctx.alloc());
        }
        HttpResponse out = ForwardedHeaders.clientResponse(head, exchange.id(), exchange.clientKeepAlive(), filtering);
        BudgetGateHandler.setRemainingAtAdmission(out.headers(), exchange); // a held response updates it once settled
        if (tap != null && success && format == ResponseFormat.JSON) {
            held = new HeldResponse(out);
        } else {
            ctx.write(out); // flushed with the body bytes of the same read: onUpstreamReadComplete
        }
    }

    private void relayContent(HttpContent content) {
        ByteBuf bytes = content.content();
        if (bytes.isReadable()) {
            exchange.firstByte(proxy.nanoTime().getAsLong());
        }
        ByteBuf forward = tap != null ? tap.onContent(bytes) : bytes.retain();
        boolean last = content instanceof LastHttpContent;
        if (last && tap != null) {
            ByteBuf tail = tap.onEnd();
            if (tail != null) {
                forward = concat(forward, tail);
            }
        }
        if (held != null) {
            if (!held.add(forward)) {
                held.writeHeld(ctx); // too big to hold: no cost header, stream the rest
                held = null;
            }
        } else {
            ctx.write(new DefaultHttpContent(forward));
        }
        if (last) {
            finishResponse();
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (done) {
            return; // finishing flushes everything
        }
        PassFlush.flushAfterPass(ctx.channel());
        if (!ctx.channel().isWritable() && upstream != null) {
            upstream.config().setAutoRead(false); // resumes in onClientWritabilityChanged
        }
    }

    private void finishResponse() {
        exchange.upstreamEnded(proxy.nanoTime().getAsLong());
        releaseUpstream(upstreamKeepAlive);
        ParsedUsage parsed = tap == null ? null : tap.result();
        Outcome outcome = status < 400 ? Outcome.OK : Outcome.UPSTREAM_ERROR;
        HeldResponse response = held;
        held = null;
        markDone();
        if (response != null) {
            proxy.completer().complete(exchange, ctx.executor(), outcome, status, parsed, record -> {
                response.head().headers().set(TollgateHeaders.COST_USD, UsdFormat.nanoToDecimal(record.costNanoUsd()));
                BudgetGateHandler.setRemainingNow(response.head().headers(), proxy, exchange);
                response.writeAll(ctx);
            });
        } else {
            ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
            PassFlush.flushAfterPass(ctx.channel());
            proxy.completer().complete(exchange, ctx.executor(), outcome, status, parsed, null);
        }
    }

    @Override
    public void onUpstreamIdle() {
        if (done) {
            return;
        }
        log.debug("Upstream of {} idle past the timeout on request {}", exchange.route().prefix(), exchange.id());
        if (responseHead == null) {
            failBeforeResponse(ProxyError.GATEWAY_TIMEOUT, "Upstream timed out.", Outcome.TIMEOUT);
        } else {
            abortResponse(Outcome.TIMEOUT, ProxyError.GATEWAY_TIMEOUT, "Upstream timed out mid-response.");
        }
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        upstream = null; // already closed; nothing to hand back
        if (done) {
            return;
        }
        if (responseHead == null) {
            if (reusedConnection && body != null) {
                // The server closed an idle keep-alive connection as we reused it: try a fresh one.
                log.debug("Reused upstream connection closed before a response; retrying request {}", exchange.id());
                start();
                return;
            }
            failBeforeResponse(ProxyError.BAD_GATEWAY, "Upstream closed the connection.", Outcome.UPSTREAM_ERROR);
        } else {
            abortResponse(Outcome.UPSTREAM_ERROR, ProxyError.BAD_GATEWAY, "Upstream closed the connection mid-response.");
        }
    }

    /** The client hung up: stop the upstream (and its billing) at once, and record what was used. */
    void onClientClosed() {
        if (done) {
            return;
        }
        releaseUpstream(false);
        ParsedUsage parsed = endTap();
        if (held != null) {
            held.release();
            held = null;
        }
        markDone();
        int code = responseHead == null ? NO_RESPONSE : status;
        proxy.completer().complete(exchange, ctx.executor(), Outcome.CLIENT_ABORTED, code, parsed, null);
    }

    void onClientWritabilityChanged(boolean writable) {
        if (upstream != null) {
            upstream.config().setAutoRead(writable);
        }
    }

    private void failBeforeResponse(ProxyError error, String message, Outcome outcome) {
        releaseUpstream(false);
        markDone();
        Rejections.send(ctx, proxy, exchange, error, message, outcome, exchange.clientKeepAlive(), -1);
    }

    /**
     * The upstream failed after the response began. A held body has not been sent, so the client
     * still gets a proper error; an event stream gets a terminal error event; any other body can
     * only be cut off.
     */
    private void abortResponse(Outcome outcome, ProxyError error, String message) {
        releaseUpstream(false);
        boolean midEvent = tap != null && tap.forwardedPartialRecord();
        ParsedUsage parsed = endTap();
        if (held != null) {
            held.release();
            held = null;
            failBeforeResponse(error, message, outcome);
            return;
        }
        markDone();
        if (isEventStream()) {
            ctx.write(new DefaultHttpContent(errorEvent(error, message, midEvent)));
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            ctx.close();
        }
        proxy.completer().complete(exchange, ctx.executor(), outcome, status, parsed, null);
    }

    private @Nullable ParsedUsage endTap() {
        if (tap == null) {
            return null;
        }
        ByteBuf tail = tap.onEnd();
        if (tail != null) {
            tail.release(); // the response is broken; a partial record is not forwarded
        }
        return tap.result();
    }

    private boolean isEventStream() {
        return responseHead != null && eventStream;
    }

    /**
     * A terminal error event. When the client already has part of an event, a blank line ends that
     * event first; otherwise the error would be glued onto it and no client could read either.
     */
    private ByteBuf errorEvent(ProxyError error, String message, boolean midEvent) {
        boolean anthropic = exchange.route().provider() == ProviderKind.ANTHROPIC;
        String event = (midEvent ? "\n\n" : "") + (anthropic
                ? "event: error\ndata: " + error.anthropicBody(message) + "\n\n"
                : "data: " + error.openAiBody(message) + "\n\n");
        return ByteBufUtil.writeUtf8(ctx.alloc(), event);
    }

    private void releaseUpstream(boolean reusable) {
        Channel channel = upstream;
        upstream = null;
        if (channel != null) {
            pool.release(channel, reusable);
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void markDone() {
        done = true;
        releaseBody();
        if (tap != null) {
            tap.release();
        }
        Exchange.detach(ctx.channel(), exchange);
        onDone.run();
    }

    private ByteBuf concat(ByteBuf first, ByteBuf second) {
        if (!second.isReadable()) {
            second.release();
            return first;
        }
        return ctx.alloc().compositeBuffer(2).addComponents(true, first, second);
    }
}
