package io.eventlog.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.eventlog.api.ErrorCode;
import io.eventlog.wire.ErrorBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import reactor.netty.NettyPipeline;

/**
 * Cuts off a client that sends a request too slowly, e.g. its headers one byte at a time (the
 * idle timeout, {@link IdleConnectionTimeout}, covers only the time between requests). The clock starts at the first byte of a
 * request and stops when the request has arrived whole (headers and body). When it runs out
 * before the headers are complete the client gets {@code 408} and the connection is closed (after
 * draining input briefly, so the client can read the 408); when
 * it runs out during the body the connection is closed.
 *
 * <p>Two handlers share one deadline: one before the HTTP codec sees raw bytes arrive, one after it
 * sees the request's head and end. Both run on the channel's event loop.
 */
final class RequestReadDeadline {
    private static final String RAW = "eventlog.requestDeadline.raw";
    private static final String DECODED = "eventlog.requestDeadline.decoded";
    /** How long a timed-out connection keeps draining input after its 408 before it is closed. */
    private static final long LINGER_MILLIS = 500;

    private final long timeoutNanos;
    /**
     * Scheduled at most once per connection at a time, and not cancelled when a request ends: when it
     * fires before the current request's deadline it is set again for the rest. Scheduling and
     * cancelling a timer for every request would cost more than the rest of this class.
     */
    private ScheduledFuture<?> timer;
    private long deadline;
    private boolean reading;
    private boolean headersSeen;
    private boolean discarding;

    private RequestReadDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Adds the deadline around reactor-netty's HTTP codec of a new connection. */
    static void install(ChannelPipeline pipeline, Duration timeout) {
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            return;
        }
        RequestReadDeadline deadline = new RequestReadDeadline(timeout);
        pipeline.addBefore(NettyPipeline.HttpCodec, RAW, deadline.new RawBytes());
        pipeline.addAfter(NettyPipeline.HttpCodec, DECODED, deadline.new Decoded());
    }

    private void start(ChannelHandlerContext rawContext) {
        if (!reading) {
            reading = true;
            headersSeen = false;
            deadline = System.nanoTime() + timeoutNanos;
            if (timer == null) {
                schedule(rawContext, timeoutNanos);
            }
        }
    }

    private void schedule(ChannelHandlerContext rawContext, long delayNanos) {
        timer = rawContext.executor().schedule(() -> fire(rawContext), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        reading = false;
    }

    /** The timer: expires the request being read if its deadline has passed, else waits for the rest of it. */
    private void fire(ChannelHandlerContext rawContext) {
        timer = null;
        if (!reading || !rawContext.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(rawContext, left);
            return;
        }
        expire(rawContext);
    }

    private void expire(ChannelHandlerContext rawContext) {
        reading = false;
        if (headersSeen) {
            rawContext.channel().close();
            return;
        }
        byte[] body = ErrorBody.of(ErrorCode.TIMEOUT, "the request did not arrive within "
                + Duration.ofNanos(timeoutNanos).toMillis() + " ms").encode();
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        discarding = true;
        rawContext.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
                .addListener(written -> lingerThenClose(rawContext));
    }

    /**
     * Half-closes and drops what the client still sends for a moment before closing, so that a
     * client busy writing reads the 408 instead of a connection reset.
     */
    private static void lingerThenClose(ChannelHandlerContext rawContext) {
        if (rawContext.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
        rawContext.executor().schedule(() -> rawContext.channel().close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Before the codec: the first raw bytes of a request start the clock. */
    private final class RawBytes extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (discarding) {
                ReferenceCountUtil.release(msg);
                return;
            }
            start(ctx);
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            stop();
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            super.channelInactive(ctx);
        }
    }

    /** After the codec: the request's head is noted, its end stops the clock. */
    private final class Decoded extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                headersSeen = true;
            }
            if (msg instanceof LastHttpContent) {
                stop();
            }
            super.channelRead(ctx, msg);
        }
    }
}
