package io.eventlog.server.binary;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLog;
import io.eventlog.api.EventLogException;
import io.eventlog.binary.Frame;
import io.eventlog.binary.FrameCodec;
import io.eventlog.binary.InvalidRequestException;
import io.eventlog.binary.MalformedFrameException;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.http.Failures;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

/**
 * One client connection of the binary protocol. Frames are decoded on the connection's event loop
 * and handed to the node's {@link EventLog}; answers from any thread go out in order through the
 * connection's {@link AnswerWriter}. Appends and reads in flight are bounded
 * ({@link BinaryConfig#maxInFlight()}, by {@link BoundedRequests}): past the bound the inbound flux has no demand, so
 * reactor-netty stops reading and TCP holds the client back. Subscriptions are bounded by the
 * client's credit. A frame that does not parse ends the connection with an ERROR of request 0.
 */
final class BinarySession {
    private static final Logger LOG = LoggerFactory.getLogger(BinarySession.class);

    private final EventLog log;
    private final Supplier<ClusterView> cluster;
    private final BinaryConfig config;
    private final Mono<Void> shutdown;
    /** Live subscriptions of every connection of the server. */
    private final AtomicInteger live;
    private final Map<Long, SubscriptionRelay> subscriptions = new ConcurrentHashMap<>();
    /** Touched only by the inbound flux, which is serial. */
    private boolean greeted;
    /** Keeps a quiet connection audibly alive; stopped with the connection. */
    private volatile Disposable heartbeats = Disposables.disposed();
    /** Set once the connection is served, before any frame is read. */
    private AnswerWriter out;

    /** @param shutdown completes when the server stops: the connection then ends */
    BinarySession(EventLog log, Supplier<ClusterView> cluster, BinaryConfig config, Mono<Void> shutdown,
                  AtomicInteger live) {
        this.log = log;
        this.cluster = cluster;
        this.config = config;
        this.shutdown = shutdown;
        this.live = live;
    }

    Publisher<Void> serve(NettyInbound inbound, NettyOutbound outbound) {
        outbound.withConnection(connection -> out = new AnswerWriter(connection.channel()));
        Flux<Frame> requests = inbound.receive()
                .<Frame>handle((bytes, next) -> {
                    try {
                        Frame frame = decode(bytes);
                        if (frame != null) {
                            next.next(frame);
                        }
                    } catch (MalformedFrameException e) {
                        LOG.info("closing a binary connection: {}", e.getMessage());
                        out.send(Frame.Error.of(0, e));
                        next.complete(); // reads no further: the connection ends once what is in flight is answered
                    }
                });
        Mono<Void> reading = BoundedRequests.run(requests, config.maxInFlight(), this::dispatch)
                .doFinally(signal -> endConnection());
        return Mono.when(out.finished(), reading).takeUntilOther(shutdown); // cancelling reading ends the connection
    }

    /** The frame, or null when it was invalid and has been answered; throws when it does not parse. */
    private Frame decode(ByteBuf bytes) {
        Frame frame;
        try {
            frame = FrameCodec.decode(bytes);
        } catch (InvalidRequestException e) {
            out.send(Frame.Error.of(e.requestId(), e.getCause()));
            return null;
        }
        if (!greeted) {
            return greet(frame);
        }
        if (!(frame instanceof Frame.FromClient) || frame instanceof Frame.Hello) {
            throw new MalformedFrameException("a client does not send " + frame.getClass().getSimpleName()
                    + " here");
        }
        return frame;
    }

    private Frame greet(Frame frame) {
        if (!(frame instanceof Frame.Hello hello)) {
            throw new MalformedFrameException("a connection starts with HELLO");
        }
        if (hello.version() != FrameCodec.VERSION) {
            throw new MalformedFrameException("protocol version " + hello.version() + " is not spoken here (only "
                    + FrameCodec.VERSION + ")");
        }
        greeted = true;
        out.send(new Frame.HelloOk(FrameCodec.VERSION, cluster.get().node()));
        heartbeats = Flux.interval(config.heartbeatInterval()).subscribe(tick -> out.send(new Frame.Heartbeat()));
        return null;
    }

    /** Starts one request; {@code finished} runs once it no longer counts as in flight. */
    private void dispatch(Frame frame, Runnable finished) {
        if (frame instanceof Frame.Append append) {
            if (append.events().size() > config.maxBatchEvents()) {
                out.send(Frame.Error.of(append.requestId(), new EventLogException(ErrorCode.TOO_LARGE,
                        "an append holds at most " + config.maxBatchEvents() + " events, this one "
                                + append.events().size())));
                finished.run();
                return;
            }
            // Subscribed directly, not through operators: this runs for every append.
            log.append(append.stream(), append.events(), append.options()).subscribe(result -> {
                out.send(new Frame.Appended(append.requestId(), result));
                finished.run();
            }, error -> {
                out.send(Frame.Error.of(append.requestId(), Failures.toEventLogException(error)));
                finished.run();
            });
            return;
        }
        if (frame instanceof Frame.Read read) {
            log.read(read.request()).subscribe(entry -> out.send(new Frame.EntryFrame(read.requestId(), entry)), error -> {
                out.send(Frame.Error.of(read.requestId(), Failures.toEventLogException(error)));
                finished.run();
            }, () -> {
                out.send(new Frame.End(read.requestId()));
                finished.run();
            });
            return;
        }
        if (frame instanceof Frame.Cluster request) {
            ClusterView view = cluster.get();
            out.send(new Frame.ClusterState(request.requestId(), view.node(), view.leader(), view.commitIndex()));
        } else if (frame instanceof Frame.Subscribe subscribe) {
            startSubscription(subscribe);
        } else if (frame instanceof Frame.Credit credit) {
            SubscriptionRelay relay = subscriptions.get(credit.requestId());
            if (relay != null && credit.credit() > 0) {
                relay.credit(credit.credit());
            }
        } else if (frame instanceof Frame.Cancel cancel) {
            SubscriptionRelay relay = subscriptions.get(cancel.requestId());
            if (relay != null) {
                relay.cancelByClient();
            }
        }
        finished.run();
    }

    private void startSubscription(Frame.Subscribe subscribe) {
        long id = subscribe.requestId();
        if (subscribe.credit() < 0) {
            out.send(Frame.Error.of(id, new EventLogException(ErrorCode.INVALID_PARAMETER,
                    "a subscription's credit is >= 0, was " + subscribe.credit())));
        } else if (subscriptions.containsKey(id)) {
            out.send(Frame.Error.of(id, new EventLogException(ErrorCode.INVALID_PARAMETER,
                    "request id " + id + " names a live subscription already")));
        } else if (subscriptions.size() >= config.maxSubscriptions()) {
            out.send(Frame.Error.of(id, new EventLogException(ErrorCode.TOO_MANY_SUBSCRIBERS,
                    "a connection holds at most " + config.maxSubscriptions() + " subscriptions")));
        } else {
            SubscriptionRelay relay = new SubscriptionRelay(id, subscribe.credit(), out::send, () -> {
                if (subscriptions.remove(id) != null) {
                    live.decrementAndGet();
                }
            });
            subscriptions.put(id, relay);
            live.incrementAndGet();
            log.subscribe(subscribe.request()).subscribe(relay);
        }
    }

    /** The client closed, a malformed frame or the server's shutdown ended the connection: subscriptions stop, answers end. */
    private void endConnection() {
        heartbeats.dispose();
        subscriptions.values().forEach(SubscriptionRelay::dispose);
        live.addAndGet(-subscriptions.size());
        subscriptions.clear();
        out.close();
    }
}
