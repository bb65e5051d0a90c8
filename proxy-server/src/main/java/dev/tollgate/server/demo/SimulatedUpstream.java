package dev.tollgate.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.server.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for OpenAI and Anthropic on loopback: chat completions, embeddings and messages,
 * streamed or not, with the providers' wire formats, usage fields and timing (time to first token,
 * then a steady token rate). Counts are deterministic per request body (see {@link SimulatedCompletion}).
 */
public final class SimulatedUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLoopGroup group;
    private final Channel server;

    private SimulatedUpstream(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Listens on {@code 127.0.0.1} at a free port. */
    public static SimulatedUpstream start(Transport transport) throws InterruptedException {
        EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("demo-upstream", true));
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(1 << 20))
                                .addLast(new Handler());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        return new SimulatedUpstream(group, server);
    }

    public String uri() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
            String path = request.uri();
            byte[] body = ByteBufUtil.getBytes(request.content());
            JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            String model = json.path("model").asText("unknown");
            boolean stream = json.path("stream").asBoolean(false);
            long maxTokens = json.path("max_tokens").asLong(json.path("max_completion_tokens").asLong(0));
            SimulatedCompletion completion = SimulatedCompletion.of(body, maxTokens);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (path.endsWith("/chat/completions")) {
                boolean includeUsage = json.path("stream_options").path("include_usage").asBoolean(false);
                if (stream) {
                    new StreamWriter(ctx, keepAlive, completion, new OpenAiChatFormat(model, includeUsage)).start();
                } else {
                    respond(ctx, keepAlive, OpenAiChatFormat.whole(model, completion), completion.ttftMillis()
                            + completion.outputTokens() * completion.tokenMillis() / 4);
                }
            } else if (path.endsWith("/embeddings")) {
                respond(ctx, keepAlive, OpenAiChatFormat.embeddings(model, completion), 30);
            } else if (path.endsWith("/v1/messages")) {
                if (stream) {
                    new StreamWriter(ctx, keepAlive, completion, new AnthropicFormat(model)).start();
                } else {
                    respond(ctx, keepAlive, AnthropicFormat.whole(model, completion), completion.ttftMillis()
                            + completion.outputTokens() * completion.tokenMillis() / 4);
                }
            } else {
                FullHttpResponse notFound = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
                notFound.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(notFound);
            }
        }

        private static void respond(ChannelHandlerContext ctx, boolean keepAlive, String json, long delayMillis) {
            ctx.executor().schedule(() -> {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        ByteBufUtil.writeUtf8(ctx.alloc(), json));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                HttpUtil.setKeepAlive(response, keepAlive);
                ctx.writeAndFlush(response);
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The events of one provider's stream. */
    interface StreamFormat {
        String start(SimulatedCompletion completion);

        String tokens(String text);

        String end(SimulatedCompletion completion);
    }

    /** Writes a stream's events on the event loop's timer: first token after the TTFT, then a steady rate. */
    private static final class StreamWriter {
        private static final int TOKENS_PER_EVENT = 3;

        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final SimulatedCompletion completion;
        private final StreamFormat format;
        private long sent;

        StreamWriter(ChannelHandlerContext ctx, boolean keepAlive, SimulatedCompletion completion, StreamFormat format) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.completion = completion;
            this.format = format;
        }

        void start() {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            HttpUtil.setTransferEncodingChunked(head, true);
            HttpUtil.setKeepAlive(head, keepAlive);
            ctx.writeAndFlush(head);
            ctx.executor().schedule(() -> {
                write(format.start(completion));
                next();
            }, completion.ttftMillis(), TimeUnit.MILLISECONDS);
        }

        private void next() {
            if (!ctx.channel().isActive()) {
                return; // the client (the proxy) hung up: stop generating, as a real server would
            }
            if (sent >= completion.outputTokens()) {
                write(format.end(completion));
                var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    done.addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < TOKENS_PER_EVENT && sent < completion.outputTokens(); i++) {
                text.append(SimulatedCompletion.token(sent++));
            }
            write(format.tokens(text.toString()));
            ctx.executor().schedule(this::next, completion.tokenMillis() * TOKENS_PER_EVENT, TimeUnit.MILLISECONDS);
        }

        private void write(String events) {
            if (!events.isEmpty()) {
                ctx.writeAndFlush(new DefaultHttpContent(ByteBufUtil.writeUtf8(ctx.alloc(), events)));
            }
        }
    }
}
