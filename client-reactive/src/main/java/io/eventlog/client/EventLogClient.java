package io.eventlog.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLog;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.client.balance.ReadBalancer;
import io.eventlog.client.binary.BinaryTransport;
import io.eventlog.client.cluster.LeaderTracker;
import io.eventlog.client.cluster.NodeDirectory;
import io.eventlog.client.cluster.ReadRouter;
import io.eventlog.client.failover.LeaderAppends;
import io.eventlog.client.failover.ResumableEntries;
import io.eventlog.client.failover.RetryPolicy;
import io.eventlog.client.http.HttpTransport;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.Transport;
import io.eventlog.client.typed.EventMapper;
import io.eventlog.client.typed.TypedEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

/**
 * The reactive client of an eventlog node or cluster, over the HTTP API or the binary protocol
 * ({@link Builder#binary()}): the same {@link EventLog}
 * as the embedded node, plus typed events.
 *
 * <ul>
 *   <li>Appends go to the leader; through a leader change, a lost connection, 503 {@code no_leader}
 *   or 504 {@code timeout} they are retried with backoff and the same Idempotency-Key, so each is
 *   written once. Other errors fail at once with the node's error code.</li>
 *   <li>Reads and subscriptions go to a node picked by the {@link ReadBalancer}; when that node is
 *   lost they go on from another one right after the last entry delivered.</li>
 *   <li>Every {@code Flux} honours backpressure: entries are taken from the connection only as
 *   they are requested.</li>
 * </ul>
 */
public final class EventLogClient implements EventLog {
    private final Transport transport;
    private final NodeDirectory nodes;
    private final LeaderAppends appends;
    private final ResumableEntries entries;
    private final EventMapper mapper;
    /** Completes on {@link #close()}: running reads and subscriptions then complete, pending appends fail. */
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicBoolean isClosed = new AtomicBoolean();
    /** Appends not answered yet, failed by {@link #close()}. */
    private final Set<MonoSink<AppendResult>> pendingAppends = ConcurrentHashMap.newKeySet();

    private EventLogClient(ClientOptions options, Transport transport) {
        this.transport = transport;
        this.nodes = new NodeDirectory(transport, options.nodes(), options.nodeDownTime());
        LeaderTracker leaders = new LeaderTracker(nodes, options.requestTimeout());
        this.appends = new LeaderAppends(nodes, leaders, options.retry(), options.requestTimeout());
        this.entries = new ResumableEntries(new ReadRouter(nodes, leaders, options.readBalancer(),
                options.readsFromLeader()), options.retry(), options.requestTimeout());
        this.mapper = new EventMapper(options.json());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options) {
        return untilClosed(Mono.defer(() -> appends.append(stream, events, options)));
    }

    /**
     * An append whose retries stop {@code deadline} after its first attempt (instead of the
     * client's retry deadline).
     */
    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options, Duration deadline) {
        return untilClosed(Mono.defer(() -> {
            RetryPolicy policy = appends.policy();
            return appends.append(stream, events, options,
                    new RetryPolicy(policy.minBackoff(), policy.maxBackoff(), policy.maxAttempts(), deadline));
        }));
    }

    /** Appends a Java value as JSON; its type is the simple name of its class. */
    public Mono<AppendResult> append(String stream, Object event) {
        return append(stream, null, event, AppendOptions.DEFAULT);
    }

    public Mono<AppendResult> append(String stream, Object event, AppendOptions options) {
        return append(stream, null, event, options);
    }

    /** Appends a Java value as JSON, as an event of the given type (null: the simple name of its class). */
    public Mono<AppendResult> append(String stream, String type, Object event, AppendOptions options) {
        return Mono.defer(() -> append(stream, List.of(mapper.toEvent(Objects.requireNonNull(event, "event"), type)),
                options));
    }

    /** Appends raw JSON bytes as an event of the given type (null for none). */
    public Mono<AppendResult> append(String stream, String type, byte[] json, AppendOptions options) {
        return Mono.defer(() -> append(stream, List.of(new EventData(type, Map.of(), json)), options));
    }

    /**
     * Appends Java values as one batch, all or nothing. Over HTTP a batch has one type, so the values
     * must be of one class (or EventData of one type and headers).
     */
    public Mono<AppendResult> appendAll(String stream, List<?> events, AppendOptions options) {
        return Mono.defer(() -> {
            List<EventData> batch = new ArrayList<>(events.size());
            for (Object event : events) {
                batch.add(mapper.toEvent(Objects.requireNonNull(event, "event"), null));
            }
            return append(stream, batch, options);
        });
    }

    @Override
    public Flux<Entry> read(ReadRequest request) {
        return untilClosed(entries.read(request));
    }

    /** A read whose entries' data are decoded as {@code type}. */
    public <T> Flux<TypedEntry<T>> read(ReadRequest request, Class<T> type) {
        return read(request).map(entry -> mapper.fromEntry(entry, type));
    }

    @Override
    public Flux<Entry> subscribe(SubscribeRequest request) {
        return untilClosed(entries.subscribe(request));
    }

    /**
     * A subscription whose entries' data are decoded as {@code type}; an entry that does not decode
     * ends it with {@code invalid_json}. For a stream of several event classes, subscribe to
     * {@link Entry}s and decode each by its type with {@link #events()}.
     */
    public <T> Flux<TypedEntry<T>> subscribe(SubscribeRequest request, Class<T> type) {
        return subscribe(request).map(entry -> mapper.fromEntry(entry, type));
    }

    /** The mapper between Java values and events this client uses. */
    public EventMapper events() {
        return mapper;
    }

    /**
     * Closes the connections. Reads and subscriptions still running complete; appends still
     * waiting fail with {@code unavailable} (their outcome unknown); later calls fail at once.
     */
    @Override
    public void close() {
        if (!isClosed.compareAndSet(false, true)) {
            return;
        }
        closed.tryEmitEmpty();
        pendingAppends.forEach(EventLogClient::failClosed);
        nodes.close();
        transport.close();
    }

    private <T> Flux<T> untilClosed(Flux<T> entries) {
        return Flux.defer(() -> isClosed.get() ? Flux.error(closedError()) : entries.takeUntilOther(closed.asMono()));
    }

    /**
     * The append, failed if the client closes before it is answered. Appends register in a set (not
     * on the {@code closed} sink, whose subscriber array is copied on every subscribe and cancel: with
     * hundreds of appends in flight that copying was a visible share of each append's cost).
     */
    private Mono<AppendResult> untilClosed(Mono<AppendResult> append) {
        return Mono.create(sink -> {
            pendingAppends.add(sink);
            Disposable running = append.subscribe(sink::success, sink::error, sink::success,
                    Context.of(sink.contextView()));
            sink.onDispose(() -> {
                pendingAppends.remove(sink);
                running.dispose();
            });
            if (isClosed.get()) {
                failClosed(sink); // closed meanwhile: close() may have missed this one
            }
        });
    }

    private static void failClosed(MonoSink<AppendResult> append) {
        append.error(new EventLogException(ErrorCode.UNAVAILABLE,
                "the client was closed before the append was answered; its outcome is unknown"));
    }

    private static EventLogException closedError() {
        return new EventLogException(ErrorCode.UNAVAILABLE, "the client is closed");
    }

    /** Options of a client; {@link #nodes} is the one that must be given. */
    public static final class Builder {
        private final List<NodeAddress> nodes = new ArrayList<>();
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration minBackoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private int maxAttempts = 10;
        private Duration retryDeadline = Duration.ofSeconds(30);
        private ReadBalancer readBalancer = ReadBalancer.leastOutstanding();
        private boolean readsFromLeader = true;
        private Duration nodeDownTime = Duration.ofSeconds(2);
        private ObjectMapper json = new ObjectMapper();
        private Transport transport;
        private boolean binary;

        private Builder() {
        }

        /** Node addresses ({@code host:port} of the HTTP API) to start from; any member of the cluster will do. */
        public Builder nodes(String... addresses) {
            for (String address : addresses) {
                nodes.add(NodeAddress.parse(address));
            }
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        /** The first and the longest wait between retries (exponential, with jitter). */
        public Builder retryBackoff(Duration min, Duration max) {
            minBackoff = min;
            maxBackoff = max;
            return this;
        }

        /** Attempts of one request in all, the first included. */
        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        /** No retry of an append starts later than this after its first attempt. */
        public Builder retryDeadline(Duration value) {
            retryDeadline = value;
            return this;
        }

        public Builder readBalancer(ReadBalancer value) {
            readBalancer = value;
            return this;
        }

        public Builder readsFromLeader(boolean value) {
            readsFromLeader = value;
            return this;
        }

        public Builder nodeDownTime(Duration value) {
            nodeDownTime = value;
            return this;
        }

        public Builder objectMapper(ObjectMapper value) {
            json = value;
            return this;
        }

        /**
         * Speak the binary protocol (docs/PROTOCOL.md): the {@link #nodes} are then the nodes' binary
         * addresses ({@code serve --binary-port}). Many requests share one connection per node.
         */
        public Builder binary() {
            binary = true;
            return this;
        }

        /** Another wire protocol to the nodes (default: HTTP). The client closes it. */
        public Builder transport(Transport value) {
            transport = value;
            return this;
        }

        public ClientOptions options() {
            return new ClientOptions(nodes, requestTimeout, connectTimeout,
                    new RetryPolicy(minBackoff, maxBackoff, maxAttempts, retryDeadline), readBalancer, readsFromLeader,
                    nodeDownTime, json);
        }

        public EventLogClient build() {
            ClientOptions options = options();
            Transport chosen = transport != null ? transport
                    : binary ? new BinaryTransport(options.connectTimeout()) : new HttpTransport(options.connectTimeout());
            return new EventLogClient(options, chosen);
        }
    }
}
