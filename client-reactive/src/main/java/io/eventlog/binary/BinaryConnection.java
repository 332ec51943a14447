package io.eventlog.binary;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * One connection to a node's binary protocol (docs/PROTOCOL.md): many requests in flight at once,
 * answered by request id. Frames written while earlier ones are still going out leave in one
 * flush, so concurrent appends are batched on the wire. A subscription's Reactor demand becomes
 * credit the server may spend, so a slow subscriber holds the server back, not a buffer.
 * Thread-safe.
 */
public final class BinaryConnection implements AutoCloseable {
    /** Largest frame this side accepts from the server. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
    /** Silence after which the connection counts as lost: three of the node's default heartbeats. */
    public static final Duration DEFAULT_SILENCE_LIMIT = Duration.ofSeconds(15);

    private final Connection connection;
    private final FluxSink<Frame> out;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final String nodeId;

    /** How often requests with a timeout are checked: a timeout fires up to this late. */
    private static final Duration TIMEOUT_CHECK_INTERVAL = Duration.ofMillis(50);
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /** A request waiting for its answers. */
    private interface Pending {
        void on(Frame frame);

        void fail(Throwable error);

        /** When it times out ({@link System#nanoTime()}), or {@link #NO_DEADLINE}. */
        default long deadlineNanos() {
            return NO_DEADLINE;
        }
    }

    private BinaryConnection(Connection connection, FluxSink<Frame> out, String nodeId) {
        this.connection = connection;
        this.out = out;
        this.nodeId = nodeId;
        // One periodic check for all requests, instead of a timer set and cancelled per request.
        long interval = TIMEOUT_CHECK_INTERVAL.toNanos();
        Future<?> checks = connection.channel().eventLoop().scheduleAtFixedRate(this::failTimedOut, interval, interval,
                TimeUnit.NANOSECONDS);
        connection.onDispose(() -> checks.cancel(false));
    }

    /**
     * Connects and exchanges HELLO; fails with {@code unavailable} if the node cannot be reached in time.
     * The connection counts as lost when nothing arrives for {@link #DEFAULT_SILENCE_LIMIT}.
     */
    public static Mono<BinaryConnection> connect(String host, int port, Duration timeout) {
        return connect(host, port, timeout, DEFAULT_SILENCE_LIMIT);
    }

    /**
     * As {@link #connect(String, int, Duration)}; the connection counts as lost when no frame (not even
     * the node's heartbeat, every 5 s by default) arrives for {@code silenceLimit}: a node that stopped,
     * or a network path that went dark without closing the connection.
     */
    public static Mono<BinaryConnection> connect(String host, int port, Duration timeout, Duration silenceLimit) {
        return TcpClient.create()
                .host(host)
                .port(port)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .doOnConnected(c -> c
                        .addHandlerFirst("eventlog.silence",
                                new ReadTimeoutHandler(silenceLimit.toMillis(), TimeUnit.MILLISECONDS))
                        .addHandlerFirst("eventlog.frames",
                                new LengthFieldBasedFrameDecoder(DEFAULT_MAX_FRAME_BYTES, 0, 4, 0, 4)))
                .connect()
                .flatMap(BinaryConnection::greet)
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof EventLogException), e -> new ConnectionLostException(
                        "cannot reach the binary protocol at " + host + ":" + port + ": " + e, e));
    }

    private static Mono<BinaryConnection> greet(Connection connection) {
        Mono<BinaryConnection> greeted = Mono.create(hello -> {
            AtomicReference<FluxSink<Frame>> sink = new AtomicReference<>();
            Flux<ByteBuf> frames = Flux.<Frame>create(sink::set, FluxSink.OverflowStrategy.BUFFER)
                    .map(frame -> {
                        ByteBuf buffer = connection.outbound().alloc().buffer();
                        FrameCodec.encode(frame, buffer);
                        return buffer;
                    });
            // Subscribing makes the sink, at once.
            connection.outbound().send(frames).then().subscribe(null, e -> connection.dispose());
            BinaryConnection[] opened = new BinaryConnection[1];
            connection.inbound().receive().map(FrameCodec::decode).subscribe(frame -> {
                if (opened[0] != null) {
                    opened[0].dispatch(frame);
                } else if (frame instanceof Frame.Heartbeat) {
                    return; // alive; the answer to HELLO is still to come
                } else if (frame instanceof Frame.HelloOk ok) {
                    opened[0] = new BinaryConnection(connection, sink.get(), ok.nodeId());
                    hello.success(opened[0]);
                } else {
                    hello.error(new ConnectionLostException("the server refused HELLO: " + frame, null));
                }
            }, error -> {
                if (opened[0] != null) {
                    opened[0].lost(error.toString());
                }
                hello.error(error);
            }, () -> {
                if (opened[0] != null) {
                    opened[0].lost("the server closed the connection");
                }
                hello.error(new ConnectionLostException("the server closed the connection", null));
            });
            sink.get().next(new Frame.Hello(FrameCodec.VERSION));
        });
        return greeted.doOnError(e -> connection.dispose());
    }

    /** The id the node answered HELLO with. */
    public String nodeId() {
        return nodeId;
    }

    public boolean isOpen() {
        return !connection.isDisposed();
    }

    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options) {
        return append(stream, events, options, null);
    }

    /**
     * An append that fails with a {@link TimeoutException} when not answered within {@code timeout}
     * (null: waits as long as the connection lives); it may or may not have been written then.
     */
    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options, Duration timeout) {
        return single(id -> new Frame.Append(id, stream, events, options), stream,
                frame -> ((Frame.Appended) frame).result(), timeout);
    }

    /** What the node knows of its cluster. */
    public Mono<Frame.ClusterState> cluster() {
        return single(Frame.Cluster::new, null, frame -> (Frame.ClusterState) frame, null);
    }

    /**
     * A request answered by one frame: {@code answer} reads it, an ERROR fails with the server's
     * error, a lost connection with {@link ConnectionLostException}, no answer within {@code timeout}
     * (unless null) with a {@link TimeoutException}.
     */
    private <T> Mono<T> single(LongFunction<Frame> request, String stream, Function<Frame, T> answer,
                               Duration timeout) {
        return Mono.create(sink -> {
            long id = nextId.getAndIncrement();
            long deadline = timeout == null ? NO_DEADLINE : System.nanoTime() + timeout.toNanos();
            pending.put(id, new Pending() {
                @Override
                public void on(Frame frame) {
                    if (pending.remove(id) == null) {
                        return; // timed out meanwhile
                    }
                    if (frame instanceof Frame.Error error) {
                        sink.error(error.body().toException(stream));
                    } else {
                        sink.success(answer.apply(frame));
                    }
                }

                @Override
                public void fail(Throwable error) {
                    sink.error(error);
                }

                @Override
                public long deadlineNanos() {
                    return deadline;
                }
            });
            send(request.apply(id));
        });
    }

    /** Committed entries, as {@link io.eventlog.api.EventLog#read}. */
    public Flux<Entry> read(ReadRequest request) {
        return Flux.create(sink -> {
            long id = nextId.getAndIncrement();
            pending.put(id, streamOf(id, request.stream(), sink));
            send(new Frame.Read(id, request));
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** A live subscription whose demand is the server's credit; cancelling it cancels it on the server. */
    public Flux<Entry> subscribe(SubscribeRequest request) {
        return Flux.create(sink -> {
            long id = nextId.getAndIncrement();
            pending.put(id, streamOf(id, request.stream(), sink));
            send(new Frame.Subscribe(id, request, 0));
            sink.onRequest(credit -> send(new Frame.Credit(id, credit)));
            sink.onCancel(() -> {
                if (pending.remove(id) != null) {
                    send(new Frame.Cancel(id));
                }
            });
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private Pending streamOf(long id, String stream, FluxSink<Entry> sink) {
        return new Pending() {
            @Override
            public void on(Frame frame) {
                if (frame instanceof Frame.EntryFrame entry) {
                    sink.next(entry.entry());
                } else if (frame instanceof Frame.End) {
                    pending.remove(id);
                    sink.complete();
                } else if (frame instanceof Frame.Error error) {
                    pending.remove(id);
                    sink.error(error.body().toException(stream));
                }
            }

            @Override
            public void fail(Throwable error) {
                sink.error(error);
            }
        };
    }

    /** Fails the requests past their deadline: their answers, if any come, are dropped. */
    private void failTimedOut() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> request : pending.entrySet()) {
            long deadline = request.getValue().deadlineNanos();
            if (deadline != NO_DEADLINE && now - deadline > 0 && pending.remove(request.getKey()) != null) {
                request.getValue().fail(new TimeoutException("node " + nodeId + " did not answer request "
                        + request.getKey() + " in time"));
            }
        }
    }

    private void send(Frame frame) {
        if (connection.isDisposed()) {
            Pending waiting = pending.remove(frame.requestId());
            if (waiting != null) {
                waiting.fail(new ConnectionLostException("the connection to node " + nodeId + " is closed", null));
            }
            return;
        }
        out.next(frame);
    }

    private void dispatch(Frame frame) {
        if (frame.requestId() == 0 && frame instanceof Frame.Error error) {
            lost("the server ended the connection: " + error.body().message());
            return;
        }
        Pending waiting = pending.get(frame.requestId());
        if (waiting != null) {
            waiting.on(frame);
        }
    }

    /** Every request in flight fails (an append's outcome is unknown). */
    private void lost(String why) {
        connection.dispose();
        ConnectionLostException error = new ConnectionLostException("lost the connection to node " + nodeId + ": "
                + why, null);
        pending.values().forEach(waiting -> waiting.fail(error));
        pending.clear();
    }

    @Override
    public void close() {
        out.complete();
        lost("closed by the client");
    }
}
