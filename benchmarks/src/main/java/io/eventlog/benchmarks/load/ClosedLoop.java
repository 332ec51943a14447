package io.eventlog.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection's closed loop, all on its channel's event loop: send one append, wait for the
 * complete answer, count it, send the next. One request is in flight at a time (no pipelining).
 * A failure (connect, reset, timeout, malformed answer) is counted, the connection is closed, and
 * after a short back-off a new one takes its place. {@link #done} counts down when the loop stops.
 * The handler moves to each new connection (hence sharable); only the current one's events count.
 */
@ChannelHandler.Sharable
final class ClosedLoop extends ChannelInboundHandlerAdapter {
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BACKOFF_AFTER_FAILURE = Duration.ofMillis(100);

    private final Bootstrap bootstrap;
    private final AppendRequests requests;
    private final int node;
    private final Measurement measurement;
    private final CountDownLatch done;

    /** The current connection (also while it connects); null between connections. */
    private Channel channel;
    /** When the request in flight was sent; 0 when none is. */
    private long sentNanos;
    private int status;
    private boolean keepAlive;
    private boolean stopped;

    ClosedLoop(Bootstrap bootstrap, AppendRequests requests, int node, Measurement measurement, CountDownLatch done) {
        this.bootstrap = bootstrap;
        this.requests = requests;
        this.node = node;
        this.measurement = measurement;
        this.done = done;
    }

    /** Connects and starts sending. */
    void start() {
        ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpResponseDecoder(), ClosedLoop.this);
            }
        }).connect();
        channel = connecting.channel();
        connecting.addListener(connected -> {
            if (connected.isSuccess()) {
                ScheduledFuture<?> timeouts = channel.eventLoop()
                        .scheduleAtFixedRate(this::checkTimeout, 1, 1, TimeUnit.SECONDS);
                connecting.channel().closeFuture().addListener(closed -> timeouts.cancel(false));
                sendNext();
            } else {
                failed(connected.cause(), connecting.channel());
            }
        });
    }

    private void sendNext() {
        if (!measurement.running()) {
            stop();
            return;
        }
        sentNanos = System.nanoTime();
        status = 0;
        // A failed write reaches exceptionCaught through the void promise.
        channel.writeAndFlush(requests.next(node), channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (ctx.channel() != channel) {
                return;
            }
            if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
                failed(decoded.decoderResult().cause(), ctx.channel());
                return;
            }
            if (msg instanceof HttpResponse response) {
                status = response.status().code();
                keepAlive = HttpUtil.isKeepAlive(response);
            }
            if (msg instanceof LastHttpContent && sentNanos != 0) {
                answered();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void answered() {
        if (status == 201) {
            measurement.succeeded(sentNanos);
        } else {
            measurement.failed(Integer.toString(status));
        }
        sentNanos = 0;
        if (keepAlive) {
            sendNext();
        } else {
            Channel closing = channel;
            channel = null;
            closing.close();
            reconnect();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel() == channel) {
            failed(new IOException("the connection closed before the answer"), ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(cause, ctx.channel());
    }

    private void checkTimeout() {
        if (sentNanos != 0 && System.nanoTime() - sentNanos > RESPONSE_TIMEOUT.toNanos()) {
            failed(new TimeoutException("no answer within " + RESPONSE_TIMEOUT), channel);
        }
    }

    /** Counts a failure of the current connection (once), closes it and connects anew after a back-off. */
    private void failed(Throwable cause, Channel failedChannel) {
        if (stopped || failedChannel != channel) {
            return;
        }
        measurement.failed(cause);
        sentNanos = 0;
        channel = null;
        failedChannel.close();
        reconnect();
    }

    private void reconnect() {
        if (!measurement.running()) {
            stop();
            return;
        }
        bootstrap.config().group().schedule(this::start, BACKOFF_AFTER_FAILURE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop() {
        if (!stopped) {
            stopped = true;
            if (channel != null) {
                channel.close();
            }
            done.countDown();
        }
    }
}
