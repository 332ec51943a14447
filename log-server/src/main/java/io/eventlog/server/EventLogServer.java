package io.eventlog.server;

import io.eventlog.server.binary.BinaryConfig;
import io.eventlog.server.binary.BinaryServer;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.http.HttpApi;
import io.eventlog.server.http.HttpApiServer;
import io.eventlog.server.http.HttpConfig;
import io.eventlog.server.node.Durability;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.replicated.ReplicationConfig;
import io.eventlog.server.retention.RetentionConfig;
import io.eventlog.server.streams.IdempotencyLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;

/**
 * One node serving the HTTP API (and, when configured, the binary protocol): opens the embedded
 * node on a data directory, binds the API and hands back a handle to the running server. {@link #close()} stops accepting requests, then
 * closes the node (which ends live subscriptions and commits what is queued).
 */
public final class EventLogServer implements AutoCloseable {

    /**
     * Everything a server needs.
     *
     * @param dataDir           the node's data directory
     * @param nodeId            this node's id in {@code /v1/cluster}; default {@code node-1}
     * @param http              address, port and limits of the HTTP API ({@link HttpConfig#defaults()})
     * @param durability        what an acknowledged append survives; default {@link Durability#PROCESS}
     * @param idempotency       how long, and for how many appends, an Idempotency-Key is remembered; default
     *                          10 minutes and 2,000,000 keys
     * @param minOffsetTimeout  longest wait of a {@code min_offset} read (then 504 {@code timeout}); default 10 s
     * @param replication       the node's place in a Raft cluster; null (the default) for a single node
     * @param checkpoints       when the node checkpoints its state; default {@link CheckpointConfig#defaults()}
     * @param retention         how much of the log the node keeps; default {@link RetentionConfig#NONE} (all of it)
     * @param binary            the binary protocol's listener (docs/PROTOCOL.md); null (the default) for none
     */
    public record Options(Path dataDir, String nodeId, HttpConfig http, Durability durability,
                          IdempotencyLimits idempotency, Duration minOffsetTimeout, ReplicationConfig replication,
                          CheckpointConfig checkpoints, RetentionConfig retention, BinaryConfig binary) {

        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(durability, "durability");
            Objects.requireNonNull(idempotency, "idempotency");
            Objects.requireNonNull(minOffsetTimeout, "minOffsetTimeout");
            Objects.requireNonNull(checkpoints, "checkpoints");
            Objects.requireNonNull(retention, "retention");
        }

        public static Options defaults(Path dataDir) {
            return new Options(dataDir, "node-1", HttpConfig.defaults(), Durability.PROCESS,
                    IdempotencyLimits.defaults(), Duration.ofSeconds(10), null, CheckpointConfig.defaults(),
                    RetentionConfig.NONE, null);
        }

        public Options withNodeId(String value) {
            return new Options(dataDir, value, http, durability, idempotency, minOffsetTimeout,
                    replication, checkpoints, retention, binary);
        }

        public Options withHttp(HttpConfig value) {
            return new Options(dataDir, nodeId, value, durability, idempotency, minOffsetTimeout,
                    replication, checkpoints, retention, binary);
        }

        public Options withHost(String value) {
            return withHttp(http.withHost(value));
        }

        public Options withPort(int value) {
            return withHttp(http.withPort(value));
        }

        public Options withDurability(Durability value) {
            return new Options(dataDir, nodeId, http, value, idempotency, minOffsetTimeout,
                    replication, checkpoints, retention, binary);
        }

        public Options withIdempotency(IdempotencyLimits value) {
            return new Options(dataDir, nodeId, http, durability, value, minOffsetTimeout, replication, checkpoints,
                    retention, binary);
        }

        public Options withIdempotencyWindow(Duration value) {
            return withIdempotency(idempotency.withWindow(value));
        }

        /** Makes the server a member of a Raft cluster; its node id becomes the Raft node id. */
        public Options withReplication(ReplicationConfig value) {
            return new Options(dataDir, String.valueOf(value.nodeId()), http, durability, idempotency,
                    minOffsetTimeout, value, checkpoints, retention, binary);
        }

        public Options withCheckpoints(CheckpointConfig value) {
            return new Options(dataDir, nodeId, http, durability, idempotency, minOffsetTimeout, replication,
                    value, retention, binary);
        }

        /** Serves the binary protocol too. */
        public Options withBinary(BinaryConfig value) {
            return new Options(dataDir, nodeId, http, durability, idempotency, minOffsetTimeout, replication,
                    checkpoints, retention, value);
        }

        public Options withRetention(RetentionConfig value) {
            return new Options(dataDir, nodeId, http, durability, idempotency, minOffsetTimeout, replication,
                    checkpoints, value, binary);
        }

        public Options withMinOffsetTimeout(Duration value) {
            return new Options(dataDir, nodeId, http, durability, idempotency, value, replication, checkpoints,
                    retention, binary);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventLogServer.class);
    /** How long requests in flight may take to finish when the server closes. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final EventLogNode node;
    private final PrometheusMeterRegistry registry;
    private final HttpApi api;
    private final DisposableServer http;
    /** Null when the binary protocol is off. */
    private final BinaryServer binary;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Sinks.Empty<Void> closed = Sinks.empty();

    private EventLogServer(EventLogNode node, PrometheusMeterRegistry registry, HttpApi api, DisposableServer http,
                           BinaryServer binary) {
        this.node = node;
        this.registry = registry;
        this.api = api;
        this.http = http;
        this.binary = binary;
    }

    /** Opens the node and binds the HTTP API; fails (leaving nothing open) if either cannot start. */
    public static EventLogServer start(Options options) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EventLogNode node = EventLogNode.open(NodeConfig.defaults(options.dataDir())
                .withDurability(options.durability())
                .withIdempotency(options.idempotency())
                .withMinOffsetTimeout(options.minOffsetTimeout())
                .withReplication(options.replication())
                .withCheckpoints(options.checkpoints())
                .withRetention(options.retention())
                .withMeterRegistry(registry));
        try {
            String[] address = {options.http().host() + ":" + options.http().port()};
            Supplier<ClusterView> cluster = node.clusterView() != null ? node::clusterView
                    : () -> ClusterView.singleNode(options.nodeId(), address[0], node.lastOffset());
            HttpApi api = new HttpApi(node, cluster, node.clusterAdmin(), node::checkpoint, node::requireStartHeld,
                    registry, options.http());
            DisposableServer http = HttpApiServer.bind(api, options.http());
            address[0] = options.http().host() + ":" + http.port();
            BinaryServer binary;
            try {
                binary = options.binary() == null ? null : BinaryServer.bind(node, cluster, options.binary());
            } catch (RuntimeException e) {
                http.disposeNow();
                throw e;
            }
            return new EventLogServer(node, registry, api, http, binary);
        } catch (RuntimeException e) {
            node.close();
            registry.close();
            throw e;
        }
    }

    /** The port the HTTP API is bound to (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** The port the binary protocol is bound to; -1 when it is off. */
    public int binaryPort() {
        return binary == null ? -1 : binary.port();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) http.address();
    }

    /** The embedded node, for in-process use next to the HTTP API. */
    public EventLogNode node() {
        return node;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Live subscriptions served over HTTP right now. */
    public int httpSubscribers() {
        return api.activeSubscribers();
    }

    /** Live subscriptions served over the binary protocol right now (0 when it is off). */
    public int binarySubscribers() {
        return binary == null ? 0 : binary.subscriptions();
    }

    /** Completes once the server has been closed. */
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    /** Blocks until the server has been closed (e.g. by a shutdown hook calling {@link #close()}). */
    public void awaitClose() {
        onClose().block();
    }

    /**
     * Ends live subscriptions, stops the HTTP API (requests in flight get up to 5 s to finish,
     * then their connections are closed), then closes the node. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            api.endSubscriptions();
            if (binary != null) {
                binary.close(SHUTDOWN_GRACE);
            }
            http.disposeNow(SHUTDOWN_GRACE);
        } catch (IllegalStateException slow) {
            LOG.warn("HTTP requests still in flight after {}; closing their connections", SHUTDOWN_GRACE);
        } finally {
            try {
                node.close();
            } finally {
                registry.close();
                closed.tryEmitEmpty();
            }
        }
    }
}
