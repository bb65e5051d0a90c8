package dev.tollgate.server.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A scriptable upstream LLM server on loopback: records every request it gets and answers with a
 * {@link Reply} that can split its body into fragments, pause between them, stall, or hang up
 * mid-body. Not the thing under test: the proxy is.
 */
public final class FakeUpstream implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Channel> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong bodyBytesSent = new AtomicLong();

    private final boolean tls;

    private FakeUpstream(Function<Recorded, Reply> responder, io.netty.handler.ssl.@org.jspecify.annotations.Nullable SslContext ssl)
            throws InterruptedException {
        tls = ssl != null;
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(64 << 20))
                                .addLast(new Responder(responder));
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    public static FakeUpstream start(Function<Recorded, Reply> responder) throws InterruptedException {
        return new FakeUpstream(responder, null);
    }

    /** An upstream that speaks HTTPS with the given server context. */
    public static FakeUpstream startTls(Function<Recorded, Reply> responder, io.netty.handler.ssl.SslContext ssl)
            throws InterruptedException {
        return new FakeUpstream(responder, ssl);
    }

    public URI uri() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + ((java.net.InetSocketAddress) server.localAddress()).getPort());
    }

    public List<Recorded> requests() {
        return requests;
    }

    public Recorded lastRequest() {
        return requests.get(requests.size() - 1);
    }

    /** Response body bytes handed to the network so far, over all connections. */
    public long bodyBytesSent() {
        return bodyBytesSent.get();
    }

    /** Connections accepted so far, open or closed. */
    public List<Channel> connections() {
        return connections;
    }

    @Override
    public void close() throws InterruptedException {
        if (group.isShuttingDown()) {
            return;
        }
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** A request as the upstream received it, and the connection it came on. */
    public record Recorded(String method, String uri, HttpHeaders headers, String body, Channel channel) {}

    /**
     * What to answer.
     *
     * @param fragments   body pieces, each written and flushed on its own
     * @param pauseMillis pause before each fragment after the first
     * @param chunked     chunked transfer encoding rather than Content-Length
     * @param hangUpAfter close the connection after this many fragments, or -1 to finish normally
     * @param stallMillis wait this long before sending anything
     */
    public record Reply(int status, String contentType, List<byte[]> fragments, long pauseMillis, boolean chunked,
            int hangUpAfter, long stallMillis) {

        public static Reply json(String body) {
            return new Reply(200, "application/json", List.of(body.getBytes(StandardCharsets.UTF_8)), 0, false, -1, 0);
        }

        public static Reply status(int status, String contentType, String body) {
            return new Reply(status, contentType, List.of(body.getBytes(StandardCharsets.UTF_8)), 0, false, -1, 0);
        }

        public static Reply sse(String body) {
            return new Reply(200, "text/event-stream", List.of(body.getBytes(StandardCharsets.UTF_8)), 0, true, -1, 0);
        }

        public static Reply ndjson(String body) {
            return new Reply(200, "application/x-ndjson", List.of(body.getBytes(StandardCharsets.UTF_8)), 0, true, -1, 0);
        }

        /** The same body cut at random points into pieces of 1 to {@code maxFragment} bytes. */
        public Reply fragmented(Random random, int maxFragment) {
            byte[] whole = joined();
            List<byte[]> pieces = new ArrayList<>();
            int at = 0;
            while (at < whole.length) {
                int length = Math.min(whole.length - at, 1 + random.nextInt(maxFragment));
                byte[] piece = new byte[length];
                System.arraycopy(whole, at, piece, 0, length);
                pieces.add(piece);
                at += length;
            }
            return new Reply(status, contentType, pieces, pauseMillis, chunked, hangUpAfter, stallMillis);
        }

        public Reply pausing(long millis) {
            return new Reply(status, contentType, fragments, millis, chunked, hangUpAfter, stallMillis);
        }

        public Reply hangingUpAfter(int fragmentCount) {
            return new Reply(status, contentType, fragments, pauseMillis, true, fragmentCount, stallMillis);
        }

        public Reply stalling(long millis) {
            return new Reply(status, contentType, fragments, pauseMillis, chunked, hangUpAfter, millis);
        }

        private byte[] joined() {
            int length = fragments.stream().mapToInt(f -> f.length).sum();
            byte[] out = new byte[length];
            int at = 0;
            for (byte[] f : fragments) {
                System.arraycopy(f, 0, out, at, f.length);
                at += f.length;
            }
            return out;
        }
    }

    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Function<Recorded, Reply> responder;

        Responder(Function<Recorded, Reply> responder) {
            this.responder = responder;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Recorded recorded = new Recorded(request.method().name(), request.uri(), request.headers().copy(),
                    request.content().toString(StandardCharsets.UTF_8), ctx.channel());
            requests.add(recorded);
            Reply reply = responder.apply(recorded);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            Runnable send = () -> send(ctx, reply, keepAlive);
            if (reply.stallMillis() > 0) {
                ctx.executor().schedule(send, reply.stallMillis(), TimeUnit.MILLISECONDS);
            } else {
                send.run();
            }
        }

        private void send(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()));
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            if (reply.chunked()) {
                HttpUtil.setTransferEncodingChunked(head, true);
            } else {
                head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.fragments().stream().mapToInt(f -> f.length).sum());
            }
            HttpUtil.setKeepAlive(head, keepAlive);
            ctx.writeAndFlush(head);
            sendFragments(ctx, reply, reply.fragments().iterator(), 0, keepAlive);
        }

        private void sendFragments(ChannelHandlerContext ctx, Reply reply, Iterator<byte[]> rest, int sent, boolean keepAlive) {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (reply.hangUpAfter() >= 0 && sent == reply.hangUpAfter()) {
                ctx.close();
                return;
            }
            if (!rest.hasNext()) {
                var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    done.addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            ByteBuf piece = Unpooled.wrappedBuffer(rest.next());
            bodyBytesSent.addAndGet(piece.readableBytes());
            ChannelFuture written = ctx.writeAndFlush(new DefaultHttpContent(piece));
            Runnable next = () -> sendFragments(ctx, reply, rest, sent + 1, keepAlive);
            if (reply.pauseMillis() > 0) {
                ctx.executor().schedule(next, reply.pauseMillis(), TimeUnit.MILLISECONDS);
            } else if (ctx.channel().isWritable()) {
                ctx.executor().execute(next);
            } else {
                // Like a real server, send no faster than the proxy reads, so a huge body is never queued here.
                written.addListener(f -> next.run());
            }
        }
    }
}
