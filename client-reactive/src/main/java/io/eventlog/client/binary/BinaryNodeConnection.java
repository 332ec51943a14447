package io.eventlog.client.binary;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.binary.BinaryConnection;
import io.eventlog.binary.ConnectionLostException;
import io.eventlog.client.transport.ClusterInfo;
import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.NodeConnection;
import io.eventlog.client.transport.NodeUnreachableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The client's requests to one node over a {@link BinaryConnection}, opened on first use and again
 * after it is lost. Connection failures become {@link NodeUnreachableException}s, as over HTTP.
 */
final class BinaryNodeConnection implements NodeConnection {
    private final NodeAddress address;
    private final Duration connectTimeout;
    private final Duration silenceLimit;
    private final Map<String, NodeAddress> addresses;
    /** The connection being opened or open; replaced once it is lost. */
    private final AtomicReference<Mono<BinaryConnection>> current = new AtomicReference<>();
    /** The connection once open, for appends to skip the Mono above. */
    private volatile BinaryConnection open;
    private volatile boolean closed;

    BinaryNodeConnection(NodeAddress address, Duration connectTimeout, Duration silenceLimit,
                         Map<String, NodeAddress> addresses) {
        this.address = address;
        this.connectTimeout = connectTimeout;
        this.silenceLimit = silenceLimit;
        this.addresses = addresses;
    }

    @Override
    public NodeAddress address() {
        return address;
    }

    @Override
    public Mono<AppendResult> append(String stream, List<EventData> events, ExpectedVersion expected,
                                     String idempotencyKey, Duration timeout) {
        AppendOptions options = new AppendOptions(expected, idempotencyKey);
        BinaryConnection c = open;
        // The common case, as few operators as it can: appends are the hot path of a client.
        Mono<AppendResult> sent = c != null && c.isOpen() && !closed
                ? c.append(stream, events, options, timeout)
                : connection().flatMap(fresh -> fresh.append(stream, events, options, timeout));
        return sent.onErrorMap(e -> failure(e, timeout));
    }

    @Override
    public Flux<Entry> read(ReadRequest request, Duration timeout) {
        // The timeout covers the wait for the first entry (or the end), as over HTTP.
        return connection().flatMapMany(c -> c.read(request))
                .timeout(Mono.delay(timeout), entry -> Mono.never())
                .onErrorMap(e -> failure(e, timeout));
    }

    @Override
    public Flux<Entry> subscribe(SubscribeRequest request) {
        return connection().flatMapMany(c -> c.subscribe(request))
                .concatWith(Flux.error(() -> new NodeUnreachableException(address, "the node ended the subscription",
                        null)))
                .onErrorMap(e -> failure(e, Duration.ZERO));
    }

    @Override
    public Mono<ClusterInfo> cluster(Duration timeout) {
        return connection().flatMap(BinaryConnection::cluster)
                .map(state -> new ClusterInfo(state.node(), state.leader(), state.commitIndex(), Map.copyOf(addresses)))
                .timeout(timeout)
                .onErrorMap(e -> failure(e, timeout));
    }

    /** The open connection, or a new one (its node id joins the transport's address book). */
    private Mono<BinaryConnection> connection() {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new NodeUnreachableException(address, "the client is closed", null));
            }
            Mono<BinaryConnection> known = current.get();
            if (known != null) {
                return known.flatMap(c -> c.isOpen() ? Mono.just(c) : reconnect(known));
            }
            return reconnect(null);
        });
    }

    private Mono<BinaryConnection> reconnect(Mono<BinaryConnection> lost) {
        Mono<BinaryConnection> fresh = BinaryConnection.connect(address.host(), address.port(), connectTimeout, silenceLimit)
                .doOnNext(c -> {
                    addresses.put(c.nodeId(), address);
                    open = c;
                })
                .cache(c -> Duration.ofDays(365), e -> Duration.ZERO, () -> Duration.ZERO);
        // One caller opens it; the others wait for the same connection.
        return current.compareAndSet(lost, fresh) ? fresh : Mono.defer(this::connection);
    }

    private Throwable failure(Throwable e, Duration timeout) {
        if (e instanceof ConnectionLostException lost) {
            return new NodeUnreachableException(address, lost.getMessage(), lost);
        }
        if (e instanceof TimeoutException) {
            return new EventLogException(ErrorCode.TIMEOUT, "node " + address + " did not answer within " + timeout, e);
        }
        return e;
    }

    @Override
    public void close() {
        closed = true;
        open = null;
        Mono<BinaryConnection> known = current.getAndSet(null);
        if (known != null) {
            known.subscribe(BinaryConnection::close, e -> { });
        }
    }

    @Override
    public String toString() {
        return "binary://" + address;
    }
}
