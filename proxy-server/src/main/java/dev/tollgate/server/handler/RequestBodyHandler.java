package dev.tollgate.server.handler;

import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.usage.BodyInsertion;
import dev.tollgate.core.usage.MalformedRequestException;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.core.usage.RequestInspector;
import dev.tollgate.server.buffer.HeapCopy;
import dev.tollgate.server.exchange.Exchange;
import dev.tollgate.server.http.ProxyError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body as it arrives: enforces the size limit, feeds the {@link RequestInspector}
 * chunk by chunk (no second pass), and holds the chunks, without copying, until the body is
 * whole. Holding is what lets an oversized body get 413 before any upstream call, and lets a
 * stream's {@code stream_options} be added with a correct {@code Content-Length}; it is bounded by
 * {@code max_request_body_bytes}. Emits one {@link ProxyRequest}.
 */
public final class RequestBodyHandler extends ChannelInboundHandlerAdapter {

    private static final HeapCopy REQUEST_CHUNKS = new HeapCopy();

    private final ProxyContext proxy;

    private @Nullable HttpRequest head;
    private @Nullable Exchange exchange;
    private @Nullable CompositeByteBuf body;
    private @Nullable RequestInspector inspector;
    private boolean discarding;

    public RequestBodyHandler(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            startRequest(ctx, request);
        }
        if (msg instanceof HttpContent content) {
            onContent(ctx, content);
        } else if (!(msg instanceof HttpRequest)) {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        reset();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reset();
        ctx.fireChannelInactive();
    }

    private void startRequest(ChannelHandlerContext ctx, HttpRequest request) {
        reset();
        discarding = false;
        Exchange current = Exchange.of(ctx.channel());
        if (current == null) {
            throw new IllegalStateException("no exchange on " + ctx.channel());
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > proxy.maxRequestBodyBytes()) {
            tooLarge(ctx, current);
            return;
        }
        head = request;
        exchange = current;
        body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        if (current.endpoint().isMetered() && HttpMethod.POST.equals(request.method())) {
            inspector = RequestInspector.forRequest(current.route().provider(), current.endpoint(),
                    current.route().injectStreamUsage(), declared);
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        if (discarding || body == null) {
            discarding = !(content instanceof LastHttpContent);
            content.release();
            return;
        }
        ByteBuf bytes = content.content();
        if (body.readableBytes() + (long) bytes.readableBytes() > proxy.maxRequestBodyBytes()) {
            Exchange refused = exchange;
            content.release();
            reset();
            tooLarge(ctx, refused);
            return;
        }
        if (bytes.isReadable()) {
            if (inspector != null) {
                inspector.onBytes(REQUEST_CHUNKS.of(bytes));
            }
            body.addComponent(true, bytes.retain());
        }
        content.release();
        if (content instanceof LastHttpContent) {
            finishRequest(ctx);
        }
    }

    private void finishRequest(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        HttpRequest request = head;
        ByteBuf whole = body;
        RequestInspector reader = inspector;
        head = null;
        exchange = null;
        body = null;
        inspector = null;
        current.requestEnded(proxy.nanoTime().getAsLong());
        if (reader != null) {
            RequestFacts facts;
            try {
                facts = reader.finish();
            } catch (MalformedRequestException e) {
                whole.release();
                Rejections.send(ctx, proxy, current, ProxyError.BAD_REQUEST, e.getMessage(), Outcome.REJECTED,
                        current.clientKeepAlive(), -1);
                return;
            }
            current.facts(facts);
            if (facts.usageInjection() != null) {
                whole = splice(whole, facts.usageInjection());
            }
        }
        ctx.fireChannelRead(new ProxyRequest(request, whole, current));
    }

    /** The body with {@code insertion} spliced in: slices around it, no copy of the original. */
    private static ByteBuf splice(ByteBuf body, BodyInsertion insertion) {
        int offset = (int) insertion.offset();
        CompositeByteBuf spliced = body.alloc().compositeBuffer(3);
        spliced.addComponent(true, body.retainedSlice(body.readerIndex(), offset));
        spliced.addComponent(true, Unpooled.wrappedBuffer(insertion.bytes()));
        spliced.addComponent(true, body.retainedSlice(body.readerIndex() + offset, body.readableBytes() - offset));
        body.release();
        return spliced;
    }

    private void tooLarge(ChannelHandlerContext ctx, Exchange refused) {
        discarding = true;
        // The rest of the body will not be read, so the connection cannot serve another request.
        Rejections.send(ctx, proxy, refused, ProxyError.TOO_LARGE,
                "Request body exceeds " + proxy.maxRequestBodyBytes() + " bytes.", Outcome.REJECTED, false, -1);
    }

    private void reset() {
        if (body != null) {
            body.release();
            body = null;
        }
        head = null;
        exchange = null;
        inspector = null;
    }
}
