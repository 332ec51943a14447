package io.eventlog.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * This node's outbound connection to one peer: connects, says HELLO, hands the connection to a
 * {@link LinkWriter}, and reconnects with backoff when it drops. Items offered while there is no
 * connection, or beyond the queue's bound, are dropped and the peer is reported unreachable.
 */
final class PeerLink {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    private final long peerId;
    private final InetSocketAddress address;
    private final TcpClient client;
    private final EventLoopGroup timer;
    private final Hello hello;
    private final OutboundQueue queue;
    private final int maxFrameLength;
    private final Backoff backoff;
    private final UnreachableReporter unreachable;
    /** The live connection's writer; null while connecting or closed. */
    private volatile LinkWriter writer;

    // Connection life cycle, guarded by this: rare events on I/O threads and the caller of close.
    private boolean closed;
    private Disposable connecting;
    private ScheduledFuture<?> reconnect;
    private long connectedAtNanos;

    /** What this node says first on every connection. */
    record Hello(long selfId, String httpAddress) {
    }

    PeerLink(long peerId, InetSocketAddress address, TcpClient client, EventLoopGroup timer, Hello hello,
             TransportConfig config, UnreachableReporter unreachable) {
        this.peerId = peerId;
        this.address = address;
        this.client = client.remoteAddress(() -> address);
        this.timer = timer;
        this.hello = hello;
        this.queue = new OutboundQueue(config.maxQueuedBytesPerPeer());
        this.maxFrameLength = config.maxFrameLength();
        this.backoff = new Backoff(config.reconnectInitialDelay(), config.reconnectMaxDelay());
        this.unreachable = unreachable;
    }

    InetSocketAddress address() {
        return address;
    }

    /** From any thread; never blocks. Returns whether the item was queued on a live connection. */
    boolean send(OutboundItem item) {
        LinkWriter current = writer;
        if (current == null || !queue.offer(item)) {
            unreachable.report(peerId);
            return false;
        }
        current.scheduleDrain();
        return true;
    }

    boolean isConnected() {
        LinkWriter current = writer;
        return current != null && current.isActive();
    }

    long queuedBytes() {
        return queue.bytes();
    }

    synchronized void connect() {
        reconnect = null;
        if (!closed) {
            connecting = client.connect().subscribe(this::onConnected, this::onConnectFailed);
        }
    }

    synchronized void close() {
        closed = true;
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        if (connecting != null) {
            connecting.dispose();
        }
        LinkWriter current = writer;
        writer = null;
        if (current != null) {
            current.close();
        }
        queue.clear();
    }

    private synchronized void onConnected(Connection connection) {
        connecting = null;
        Channel channel = connection.channel();
        if (closed) {
            channel.close();
            return;
        }
        // Written before the writer is published, so HELLO precedes every batch.
        channel.writeAndFlush(FrameCodec.hello(channel.alloc(), hello.selfId(), hello.httpAddress()));
        LinkWriter connected = new LinkWriter(channel, queue, maxFrameLength);
        connectedAtNanos = System.nanoTime();
        writer = connected;
        channel.closeFuture().addListener(future -> onDisconnected(connected));
        log.info("link to node {} at {} up", peerId, address);
        connected.scheduleDrain();
    }

    private synchronized void onDisconnected(LinkWriter lost) {
        if (writer == lost) {
            writer = null;
        }
        queue.clear();
        if (closed) {
            return;
        }
        log.info("link to node {} at {} lost; reconnecting", peerId, address);
        // A connection that lived long enough was healthy: start over at the short delay. One that
        // closed at once (a peer refusing us, a proxy to a dead node) keeps backing off.
        if (System.nanoTime() - connectedAtNanos >= backoff.maxNanos()) {
            backoff.reset();
        }
        unreachable.report(peerId);
        scheduleReconnect();
    }

    private synchronized void onConnectFailed(Throwable error) {
        connecting = null;
        if (closed) {
            return;
        }
        log.debug("link to node {} at {}: connect failed: {}", peerId, address, error.toString());
        unreachable.report(peerId);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        reconnect = timer.schedule(this::connect, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS);
    }
}
