package io.eventlog.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One load run: {@code connections} closed loops (send an append, await the answer, repeat), one per
 * connection, spread round robin over the configured nodes.
 *
 * <p>Why plain netty: the generator shares the machine's cores with the node, so it must spend as little
 * CPU per request as it can, or it measures itself. All connections run on a few event loops (at most
 * one per core); each request is written from bytes encoded once ({@link AppendRequests}), and the answer
 * goes through netty's HTTP response decoder straight to the loop's handler ({@link ClosedLoop}), with no
 * per-request client machinery (reactor-netty's pool, operators and per-request timeout cost the
 * generator about as much CPU per request as the node spent serving it). Each connection is an HTTP/1.1
 * keep-alive connection with one request in flight.
 *
 * <p>Only a 201 is an append. A request counts where it completes: inside the measured window
 * (after the warm-up) or not at all.
 */
public final class LoadRun {
    private final LoadConfig config;

    public LoadRun(LoadConfig config) {
        this.config = config;
    }

    /** Runs warm-up and measurement, then returns what was measured. */
    public LoadResult run() {
        int threads = Math.min(config.connections(), Runtime.getRuntime().availableProcessors());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("eventlog-load", true), io);
        try {
            AppendRequests requests = new AppendRequests(config);
            Measurement measurement = Measurement.startingNow(config.warmup(), config.duration());
            CountDownLatch done = new CountDownLatch(config.connections());
            for (int i = 0; i < config.connections(); i++) {
                int node = i % config.urls().size();
                URI url = config.urls().get(node);
                Bootstrap bootstrap = new Bootstrap().group(loops)
                        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .remoteAddress(new InetSocketAddress(url.getHost(), port(url)));
                new ClosedLoop(bootstrap, requests, node, measurement, done).start();
            }
            awaitQuietly(done);
            return measurement.result(config, config.eventsPerRequest());
        } finally {
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private static int port(URI url) {
        return url.getPort() >= 0 ? url.getPort() : 80;
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
