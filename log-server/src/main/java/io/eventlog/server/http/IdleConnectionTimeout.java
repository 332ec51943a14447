package io.eventlog.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import reactor.netty.NettyPipeline;

/**
 * Closes a keep-alive connection that has had no request in flight for the idle timeout: from its
 * start, or from the end of its last response, until the head of a new request has arrived. A
 * response still being sent (a subscription) keeps the connection busy however quiet it is.
 *
 * <p>Instead of reactor-netty's idle timeout, which adds a handler (and schedules a timer) after
 * every response and removes it (cancelling the timer) at every request: one timer per connection
 * that, when it fires before the connection has been idle long enough, is set again for the rest.
 * Runs on the channel's event loop, after the HTTP codec.
 */
final class IdleConnectionTimeout extends ChannelDuplexHandler {
    private static final String NAME = "eventlog.idleTimeout";

    private final long timeoutNanos;
    /** Requests whose head has arrived and whose response has not ended. */
    private int inFlight;
    private long idleSince;
    private ScheduledFuture<?> timer;

    private IdleConnectionTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    static void install(ChannelPipeline pipeline, Duration timeout) {
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new IdleConnectionTimeout(timeout));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        becameIdle(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (HttpMessages.endsResponse(msg) && inFlight > 0 && --inFlight == 0) {
            becameIdle(ctx);
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        super.channelInactive(ctx);
    }

    private void becameIdle(ChannelHandlerContext ctx) {
        idleSince = System.nanoTime();
        if (timer == null) {
            schedule(ctx, timeoutNanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> fire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Closes the connection if it has been idle long enough, else waits for the rest; a busy one is left alone. */
    private void fire(ChannelHandlerContext ctx) {
        timer = null;
        if (inFlight > 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = idleSince + timeoutNanos - System.nanoTime();
        if (left > 0) {
            schedule(ctx, left);
        } else {
            ctx.close();
        }
    }
}
