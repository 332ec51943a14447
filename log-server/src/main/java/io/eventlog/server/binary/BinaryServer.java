package io.eventlog.server.binary;

import io.eventlog.api.EventLog;
import io.eventlog.server.cluster.ClusterView;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * The binary protocol (docs/PROTOCOL.md) on its own port. Frames are cut by their length prefix;
 * one longer than {@link BinaryConfig#maxFrameBytes()} closes its connection.
 */
public final class BinaryServer implements AutoCloseable {
    private static final int WRITE_HIGH_WATER_MARK = 256 * 1024;
    private static final int WRITE_LOW_WATER_MARK = 64 * 1024;

    private final DisposableServer server;
    private final Sinks.Empty<Void> closing;
    private final AtomicInteger subscriptions;

    private BinaryServer(DisposableServer server, Sinks.Empty<Void> closing, AtomicInteger subscriptions) {
        this.server = server;
        this.closing = closing;
        this.subscriptions = subscriptions;
    }

    /** @param cluster what the node knows of its cluster (its id, the leader), read for HELLO and CLUSTER */
    public static BinaryServer bind(EventLog log, Supplier<ClusterView> cluster, BinaryConfig config) {
        Sinks.Empty<Void> closing = Sinks.empty();
        AtomicInteger subscriptions = new AtomicInteger();
        DisposableServer server = TcpServer.create()
                .host(config.host())
                .port(config.port())
                // Every connection joins the group, so disposing the server closes them all.
                .channelGroup(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_LOW_WATER_MARK, WRITE_HIGH_WATER_MARK))
                .doOnConnection(connection -> connection
                        .addHandlerFirst("eventlog.oversized", new OversizedFrameGuard())
                        .addHandlerFirst("eventlog.frames",
                                new LengthFieldBasedFrameDecoder(config.maxFrameBytes(), 0, 4, 0, 4)))
                .handle((inbound, outbound) -> new BinarySession(log, cluster, config, closing.asMono(), subscriptions)
                        .serve(inbound, outbound))
                .bindNow();
        return new BinaryServer(server, closing, subscriptions);
    }

    public int port() {
        return server.port();
    }

    /** Live subscriptions over all connections. */
    public int subscriptions() {
        return subscriptions.get();
    }

    /** Ends every connection (their subscriptions with them) and stops listening, waiting up to {@code grace}. */
    public void close(Duration grace) {
        closing.tryEmitEmpty();
        server.disposeNow(grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
