package io.eventlog.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.eventlog.api.ErrorCode;
import io.eventlog.wire.ErrorBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import reactor.netty.NettyPipeline;

/**
 * Cuts off a client that sends a request too slowly, e.g. its headers one byte at a time (an
 * idle timeout does not, since every byte resets it). The clock starts at the first byte of a
 * request and stops when the request has arrived whole (headers and body). When it runs out
 * before the headers are complete the client gets {@code 408} and the connection is closed; when
 * it runs out during the body the connection is closed.
 *
 * <p>Two handlers share one deadline: one before the HTTP codec sees raw bytes arrive, one after it
 * sees the request's head and end. Both run on the channel's event loop.
 */
final class RequestReadDeadline {
    private static final String RAW = "eventlog.requestDeadline.raw";
    private static final String DECODED = "eventlog.requestDeadline.decoded";

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean reading;
    private boolean headersSeen;

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
            timer = rawContext.executor().schedule(() -> expire(rawContext), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        reading = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext rawContext) {
        if (!reading || !rawContext.channel().isActive()) {
            return;
        }
        reading = false;
        timer = null;
        if (headersSeen) {
            rawContext.channel().close();
            return;
        }
        byte[] body = ErrorBody.of(ErrorCode.TIMEOUT, "the request did not arrive within "
                + Duration.ofNanos(timeoutNanos).toMillis() + " ms").encode();
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        rawContext.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Before the codec: the first raw bytes of a request start the clock. */
    private final class RawBytes extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            start(ctx);
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            stop();
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
