package dev.tollgate.server.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Serves the admin listener: {@code /metrics} (Prometheus text or OpenMetrics, by {@code Accept}),
 * {@code /healthz} (the process is up) and {@code /readyz} (the proxy listener is accepting).
 * {@code /admin/*} requires the admin token when the listener is bound beyond loopback (CONTRACT §3).
 */
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final String OPENMETRICS = "application/openmetrics-text";

    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final AdminAccess access;
    private final AdminApi api;
    private final Executor blocking;

    /**
     * @param blocking runs the {@code /admin/*} calls, which read files and the ledger
     */
    public AdminHandler(PrometheusMeterRegistry registry, BooleanSupplier ready, AdminAccess access, AdminApi api,
            Executor blocking) {
        this.registry = registry;
        this.ready = ready;
        this.access = access;
        this.api = api;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (!HttpMethod.GET.equals(request.method()) && !path.startsWith("/admin/")) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
            return;
        }
        switch (path) {
            case "/metrics" -> metrics(ctx, request);
            case "/healthz" -> respond(ctx, request, HttpResponseStatus.OK, "text/plain", "ok\n");
            case "/readyz" -> {
                boolean isReady = ready.getAsBoolean();
                respond(ctx, request, isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "text/plain", isReady ? "ready\n" : "starting\n");
            }
            default -> {
                if (!path.startsWith("/admin/")) {
                    respond(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
                } else if (!access.permits(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                    respond(ctx, request, HttpResponseStatus.UNAUTHORIZED, "application/json",
                            "{\"error\":\"admin token required: Authorization: Bearer <admin token>\"}\n");
                } else {
                    admin(ctx, request);
                }
            }
        }
    }

    /** Runs an admin call off the event loop; the request is copied, since it is released on return. */
    private void admin(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        blocking.execute(() -> {
            AdminApi.Response response = api.handle(method, uri);
            respond(ctx, keepAlive, response.status(), "application/json", response.json() + "\n");
        });
    }

    private void metrics(ChannelHandlerContext ctx, FullHttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
        boolean openMetrics = accept.contains(OPENMETRICS);
        String contentType = openMetrics
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        respond(ctx, request, HttpResponseStatus.OK, contentType, registry.scrape(contentType));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String contentType, String body) {
        respond(ctx, HttpUtil.isKeepAlive(request), status, contentType, body);
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
            String contentType, String body) {
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var write = ctx.writeAndFlush(response);
        if (!keepAlive) {
            write.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Who may call {@code /admin/*}: with a token configured, only its bearers; without one, anyone
     * on a loopback-bound listener and nobody on any other (CONTRACT §3).
     */
    public record AdminAccess(boolean tokenRequired, String token) {

        public static AdminAccess of(boolean loopbackOnly, String token) {
            return new AdminAccess(!loopbackOnly || !token.isEmpty(), token);
        }


        boolean permits(String authorization) {
            if (!tokenRequired) {
                return true;
            }
            if (token.isEmpty() || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return false;
            }
            byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
        }
    }
}
