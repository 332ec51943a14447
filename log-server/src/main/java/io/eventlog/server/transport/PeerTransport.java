package io.eventlog.server.transport;

import io.eventlog.replication.Message;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * Carries Raft messages and the driver's APP bytes between the nodes of a cluster over TCP
 * (reactor-netty, epoll where available). Each direction of each link is its own connection:
 * this node sends to a peer only on the connection it opened to that peer, and hears from the
 * peer only on the connection the peer opened to it. Wire format: {@link FrameCodec}, {@link MessageCodec}.
 *
 * <p>Threads: {@link #send}, {@link #sendApp} and {@link #updatePeers} may be called from any thread
 * and never block. {@code onRaftMessage} and {@code onAppMessage} run on an I/O thread, in order per
 * sending peer; {@code onUnreachable} runs on an I/O thread or on the thread calling {@code send}.
 * All three must be cheap and thread-safe: queue the work to the driver's own thread. Do not call
 * {@link #close} from a callback.
 *
 * <p>Delivery is best effort, which Raft tolerates: a message to a peer with no live connection,
 * or beyond the peer's queue bound ({@link TransportConfig#maxQueuedBytesPerPeer}), is dropped and
 * the peer reported unreachable (at most once per {@link TransportConfig#unreachableReportInterval});
 * so is a peer whose connection drops. Messages that are delivered arrive in the order they were sent.
 */
public final class PeerTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerTransport.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final TransportConfig config;
    private final long selfId;
    private final PeerLink.Hello hello;
    private final EventLoopGroup loops;
    private final TcpClient client;
    private final DisposableServer server;
    /** Every connection, both directions, so that close shuts each one rather than trusting the loops' shutdown. */
    private final ChannelGroup connections;
    private final UnreachableReporter unreachable;
    private final Map<Long, String> advertisedHttpAddresses = new ConcurrentHashMap<>();
    private final Map<Long, PeerLink> links = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private PeerTransport(TransportConfig config, long selfId, String advertisedHttpAddress,
                          InetSocketAddress bindAddress, EventLoopGroup loops, Consumer<Message> onRaftMessage,
                          AppHandler onAppMessage, LongConsumer onUnreachable) {
        this.config = config;
        this.selfId = selfId;
        this.hello = new PeerLink.Hello(selfId, advertisedHttpAddress);
        this.loops = loops;
        this.connections = new DefaultChannelGroup("eventlog-transport-" + selfId, loops.next());
        this.unreachable = new UnreachableReporter(onUnreachable, config.unreachableReportInterval());
        this.client = TcpClient.newConnection()
                .runOn(loops)
                .resolver(DefaultAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .doOnChannelInit((observer, channel, remote) -> {
                    connections.add(channel);
                    OutboundOnlyGuard.install(channel.pipeline());
                })
                .handle(PeerTransport::keepReading);
        this.server = TcpServer.create()
                .runOn(loops)
                .bindAddress(() -> bindAddress)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .doOnChannelInit((observer, channel, remote) -> {
                    connections.add(channel);
                    InboundHandler.install(channel.pipeline(), config.maxFrameLength(), selfId,
                            advertisedHttpAddresses, onRaftMessage, onAppMessage);
                })
                .handle(PeerTransport::keepReading)
                .bindNow(BIND_TIMEOUT);
    }

    /**
     * Binds {@code bindAddress} (port 0 for an ephemeral one, see {@link #boundAddress}) and starts
     * connecting to {@code peers} (an entry for {@code selfId} itself is ignored).
     *
     * @param advertisedHttpAddress this node's HTTP API as clients reach it, e.g. {@code "127.0.0.1:7071"};
     *                              told to every peer in HELLO
     * @param onRaftMessage         each message a peer sends to this node
     * @param onAppMessage          each APP payload a peer sends to this node
     * @param onUnreachable         a peer's link is down or its queue is full (rate-limited)
     */
    public static PeerTransport start(TransportConfig config, long selfId, String advertisedHttpAddress,
                                      InetSocketAddress bindAddress, Map<Long, InetSocketAddress> peers,
                                      Consumer<Message> onRaftMessage, AppHandler onAppMessage,
                                      LongConsumer onUnreachable) {
        return start(config, selfId, advertisedHttpAddress, bindAddress, peers, onRaftMessage, onAppMessage,
                onUnreachable, newEventLoops("eventlog-transport-" + selfId, config.ioThreads()));
    }

    /**
     * As {@link #start(TransportConfig, long, String, InetSocketAddress, Map, Consumer, AppHandler, LongConsumer)},
     * with every connection on {@code loops}, which the transport shuts down when it closes (the Raft
     * driver's own loop, so that peer traffic needs no hand-off to and from the Raft thread).
     */
    public static PeerTransport start(TransportConfig config, long selfId, String advertisedHttpAddress,
                                      InetSocketAddress bindAddress, Map<Long, InetSocketAddress> peers,
                                      Consumer<Message> onRaftMessage, AppHandler onAppMessage,
                                      LongConsumer onUnreachable, EventLoopGroup loops) {
        if (selfId <= 0) {
            throw new IllegalArgumentException("node ids must be positive: " + selfId);
        }
        FrameCodec.httpAddressBytes(advertisedHttpAddress);
        Objects.requireNonNull(onRaftMessage, "onRaftMessage");
        Objects.requireNonNull(onAppMessage, "onAppMessage");
        Objects.requireNonNull(onUnreachable, "onUnreachable");
        try {
            PeerTransport transport = new PeerTransport(config, selfId, advertisedHttpAddress, bindAddress, loops,
                    onRaftMessage, onAppMessage, onUnreachable);
            log.info("transport of node {} listening on {} ({})", selfId, transport.boundAddress(),
                    Epoll.isAvailable() ? "epoll" : "nio");
            transport.updatePeers(peers);
            return transport;
        } catch (RuntimeException e) {
            shutDown(loops);
            throw e;
        }
    }

    /** Event loops of daemon threads named {@code name-…}: epoll where the platform has it, as reactor-netty would choose; NIO elsewhere. */
    public static EventLoopGroup newEventLoops(String name, int threads) {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    }

    /**
     * Waits on netty's own future: reactor-netty's LoopResources would wait through a timeout
     * operator that starts Reactor's global parallel scheduler threads.
     */
    private static void shutDown(EventLoopGroup loops) {
        loops.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
    }

    /**
     * Our handlers consume every byte before reactor-netty's bridge, but the bridge reads only while
     * someone asks for its inbound: asking keeps the socket read, so frames arrive and a peer's close
     * is seen. Completes when the connection closes.
     */
    private static Mono<Void> keepReading(NettyInbound in, NettyOutbound out) {
        return in.receive().then();
    }

    /**
     * Queues a message for {@code message.to()}; never blocks. Throws if the message does not come
     * from this node or cannot fit in a frame (both are the caller's bugs, which a peer would
     * otherwise answer by closing the link).
     */
    public void send(Message message) {
        if (message.from() != selfId) {
            throw new IllegalArgumentException("message from " + message.from() + " sent by node " + selfId);
        }
        int size = MessageCodec.encodedSize(message);
        requireFits(FrameCodec.raftFrameLength(1, size), message.getClass().getSimpleName());
        enqueue(message.to(), new OutboundItem.Raft(message, size));
    }

    /** {@link #send(Message)} for each, in order. */
    public void send(Collection<? extends Message> messages) {
        for (Message m : messages) {
            send(m);
        }
    }

    /**
     * Queues opaque bytes for the peer's {@link AppHandler}; never blocks. Do not change the array
     * afterwards. Returns false when they were dropped at once (no live link, or its queue is full);
     * true means queued, not delivered: a link that drops later loses them too.
     */
    public boolean sendApp(long toNodeId, byte[] data) {
        requireFits(FrameCodec.appFrameLength(data.length), "APP payload");
        return enqueue(toNodeId, new OutboundItem.App(data));
    }

    /**
     * Sets the peers this node sends to: links to peers no longer listed, or at a new address, are
     * closed and what they had queued dropped; new peers are connected to. An entry for this node is ignored.
     */
    public synchronized void updatePeers(Map<Long, InetSocketAddress> peers) {
        if (closed) {
            return;
        }
        links.entrySet().removeIf(link -> {
            boolean gone = !link.getValue().address().equals(peers.get(link.getKey()));
            if (gone) {
                link.getValue().close();
                unreachable.forget(link.getKey());
                if (!peers.containsKey(link.getKey())) {
                    advertisedHttpAddresses.remove(link.getKey());
                }
            }
            return gone;
        });
        peers.forEach((peerId, address) -> {
            if (peerId != selfId && !links.containsKey(peerId)) {
                PeerLink link = new PeerLink(peerId, address, client, loops, hello, config, unreachable);
                links.put(peerId, link);
                link.connect();
            }
        });
    }

    /** What the peer said in its HELLO, e.g. {@code "127.0.0.1:7071"}; null if it never connected. */
    public String advertisedHttpAddress(long peerId) {
        return advertisedHttpAddresses.get(peerId);
    }

    /** Where this node accepts its peers' connections (the actual port when bound to port 0). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.address();
    }

    /** Whether this node's connection to the peer is up (its messages to the peer can go out). */
    public boolean isConnected(long peerId) {
        PeerLink link = links.get(peerId);
        return link != null && link.isConnected();
    }

    /** Bytes queued for the peer or being written to it; never more than {@link TransportConfig#maxQueuedBytesPerPeer}. */
    public long queuedBytes(long peerId) {
        PeerLink link = links.get(peerId);
        return link == null ? 0 : link.queuedBytes();
    }

    /** Closes every connection and stops the I/O threads; returns once they are gone. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            links.values().forEach(PeerLink::close);
            links.clear();
        }
        server.disposeNow(SHUTDOWN_TIMEOUT);
        connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
        shutDown(loops);
    }

    private boolean enqueue(long peerId, OutboundItem item) {
        PeerLink link = links.get(peerId);
        if (link != null) {
            return link.send(item);
        }
        if (!closed) {
            unreachable.report(peerId);
        }
        return false;
    }

    private void requireFits(long frameLength, String what) {
        if (frameLength > config.maxFrameLength()) {
            throw new IllegalArgumentException(what + " needs a frame of " + frameLength
                    + " bytes, more than maxFrameLength " + config.maxFrameLength());
        }
    }
}
