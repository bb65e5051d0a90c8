package dev.tollgate.server.handler;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes client connections that hold resources without making progress. A connection with no
 * request under way gets {@code idleMillis} to deliver a whole request head, which also bounds a
 * slowloris client dripping header bytes; a request body may pause at most {@code bodyMillis}
 * between chunks. While a response is being relayed the client owes nothing and no deadline runs:
 * the upstream's idle timeout covers that time.
 *
 * <p>One timer per connection at most; progress only moves a timestamp, and the timer re-arms
 * itself for the time left, as Netty's {@code IdleStateHandler} does.
 */
public final class ClientTimeoutHandler extends ChannelDuplexHandler {

    private enum Waiting { NOTHING, REQUEST_HEAD, BODY_CHUNK }

    private final long idleNanos;
    private final long bodyNanos;
    private Waiting waiting = Waiting.NOTHING;
    private long since;
    private int unanswered;
    private boolean responding;
    private @Nullable ScheduledFuture<?> timer;

    public ClientTimeoutHandler(long idleMillis, long bodyMillis) {
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.bodyNanos = TimeUnit.MILLISECONDS.toNanos(bodyMillis);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        await(ctx, Waiting.REQUEST_HEAD);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            unanswered++;
        }
        if (msg instanceof LastHttpContent) {
            await(ctx, Waiting.NOTHING);
        } else if (msg instanceof HttpRequest || msg instanceof HttpContent) {
            await(ctx, Waiting.BODY_CHUNK);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse) {
            responding = true;
        }
        if (responding && msg instanceof LastHttpContent) {
            responding = false;
            unanswered = Math.max(0, unanswered - 1);
            if (unanswered == 0 && waiting == Waiting.NOTHING) {
                await(ctx, Waiting.REQUEST_HEAD);
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void await(ChannelHandlerContext ctx, Waiting what) {
        waiting = what;
        since = System.nanoTime();
        if (what != Waiting.NOTHING && timer == null) {
            schedule(ctx, limit());
        }
    }

    private long limit() {
        return waiting == Waiting.BODY_CHUNK ? bodyNanos : idleNanos;
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (waiting == Waiting.NOTHING || !ctx.channel().isActive()) {
            return;
        }
        long left = limit() - (System.nanoTime() - since);
        if (left > 0) {
            schedule(ctx, left);
        } else {
            ctx.close();
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
