package io.eventlog.server.cli;

import io.eventlog.server.EventLogServer;
import io.eventlog.server.binary.BinaryConfig;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.http.HttpConfig;
import io.eventlog.server.node.Durability;
import io.eventlog.server.replicated.ReplicationConfig;
import io.eventlog.server.retention.RetentionConfig;
import io.eventlog.server.streams.IdempotencyLimits;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code eventlog serve}: runs a node with the HTTP API until it is stopped (Ctrl-C or SIGTERM). */
@Command(name = "serve", description = "Run a node: the log under --data, the HTTP API on --port.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "1:could not start (port in use, data directory locked or unreadable)",
            "2:usage: a bad option",
            "130/143:stopped by Ctrl-C / SIGTERM, after closing the node cleanly"})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data",
            description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7070",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--binary-port", paramLabel = "PORT",
            description = "Also serve the binary protocol of the Java client (docs/PROTOCOL.md) on this port "
                    + "(0 picks a free one); off unless given.")
    Integer binaryPort;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--durability", paramLabel = "process|fsync", defaultValue = "process",
            description = "When an append is acknowledged: process = written to the mapped log, survives a "
                    + "process crash; fsync = also msync'ed, survives power loss (default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--node-id", paramLabel = "ID", defaultValue = "node-1",
            description = "This node's id in /v1/cluster (default: ${DEFAULT-VALUE}); with --peers, its number "
                    + "in the peer list.")
    String nodeId;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT,...",
            description = "Run as a member of a Raft cluster: every member's node-to-node address, this node's "
                    + "own included (it listens there), e.g. 1=127.0.0.1:7171,2=127.0.0.1:7172,3=127.0.0.1:7173. "
                    + "Without it the node is a single node.")
    String peers;

    @Option(names = "--join",
            description = "With --peers: join an existing cluster (wait to be added by its leader) instead of "
                    + "bootstrapping a new one from the peer list.")
    boolean join;

    @Option(names = "--advertise", paramLabel = "HOST:PORT",
            description = "With --peers: the HTTP address other members give clients for this node (default: "
                    + "this node's peer host and its --port).")
    String advertise;

    @Option(names = "--append-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "With --peers: longest wait of an append for a leader and a commit, then 504 "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration appendTimeout;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Largest request body in bytes; more is 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "10000",
            description = "Most events in one NDJSON batch; more is 413 (default: ${DEFAULT-VALUE}).")
    int maxBatchEvents;

    @Option(names = "--max-subscribers", paramLabel = "N", defaultValue = "1000",
            description = "Most live HTTP subscriptions at once; one more is 429 (default: ${DEFAULT-VALUE}).")
    int maxSubscribers;

    @Option(names = "--idempotency-window", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "How long an Idempotency-Key is remembered at most (default: ${DEFAULT-VALUE}).")
    Duration idempotencyWindow;

    @Option(names = "--idempotency-max-keys", paramLabel = "N", defaultValue = "2000000",
            description = "How many Idempotency-Keys are remembered at most, the newest: this bounds the memory "
                    + "they take, about 110-180 bytes each (default: ${DEFAULT-VALUE}).")
    int idempotencyMaxKeys;

    @Option(names = "--min-offset-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Longest wait of a read with min_offset, then 504 (default: ${DEFAULT-VALUE}).")
    Duration minOffsetTimeout;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "An idle SSE subscription gets a comment line this often (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "A keep-alive connection with no request is closed after this (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "A request must arrive whole within this, or the connection is closed "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--checkpoint-every", paramLabel = "ENTRIES", defaultValue = "1000000",
            description = "Write a checkpoint of the node's state after this many entries (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class,
            description = "Write a checkpoint at least this often while entries are appended (default: "
                    + "${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--checkpoints-kept", paramLabel = "N", defaultValue = "3",
            description = "Checkpoint files kept, newest first (default: ${DEFAULT-VALUE}).")
    int checkpointsKept;

    @Option(names = "--retention-age", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
            description = "Delete the log's queue files last written longer ago (0: keep all; default: ${DEFAULT-VALUE}).")
    Duration retentionAge;

    @Option(names = "--retention-bytes", paramLabel = "BYTES", defaultValue = "0",
            description = "Delete the oldest queue files while the log is larger (0: no limit; default: ${DEFAULT-VALUE}).")
    long retentionBytes;

    @Override
    public Integer call() {
        EventLogServer.Options options;
        try {
            options = new EventLogServer.Options(data, nodeId, httpConfig(), durability,
                    new IdempotencyLimits(idempotencyWindow, idempotencyMaxKeys),
                    minOffsetTimeout, null, new CheckpointConfig(checkpointEvery, checkpointInterval, checkpointsKept),
                    RetentionConfig.NONE.withMaxAge(retentionAge).withMaxBytes(retentionBytes), null);
            if (binaryPort != null) {
                options = options.withBinary(BinaryConfig.of(host, binaryPort, maxBodyBytes, maxBatchEvents));
            }
            if (peers != null) {
                options = options.withReplication(replicationConfig());
            } else if (join) {
                throw new IllegalArgumentException("--join needs --peers");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        DroppedErrors.logQuietlyWhenClientsLeave();
        EventLogServer server;
        try {
            server = EventLogServer.start(options);
        } catch (RuntimeException e) {
            throw new CliException(1, "cannot start: " + rootMessage(e));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "eventlog-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("eventlog node %s listening on http://%s:%d%s (data %s, durability %s, last offset %d)%n",
                options.nodeId(), host, server.port(),
                server.binaryPort() < 0 ? "" : " and binary " + host + ":" + server.binaryPort(),
                data.toAbsolutePath().normalize(), durability.name().toLowerCase(Locale.ROOT),
                server.node().lastOffset());
        out.flush();
        server.awaitClose();
        return 0;
    }

    private ReplicationConfig replicationConfig() {
        long id;
        try {
            id = Long.parseLong(nodeId);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("with --peers, --node-id is this node's number in the peer list, got '"
                    + nodeId + "'");
        }
        Map<Long, InetSocketAddress> members = ReplicationConfig.parsePeers(peers);
        InetSocketAddress self = members.get(id);
        String httpAddress = advertise != null ? advertise
                : (self == null ? host : self.getHostString()) + ":" + port;
        return ReplicationConfig.of(id, members, httpAddress).withJoin(join).withAppendTimeout(appendTimeout);
    }

    private HttpConfig httpConfig() {
        return HttpConfig.defaults().withHost(host).withPort(port).withMaxBodyBytes(maxBodyBytes)
                .withMaxBatchEvents(maxBatchEvents).withMaxSubscribers(maxSubscribers)
                .withHeartbeatInterval(heartbeat).withIdleTimeout(idleTimeout).withRequestReadTimeout(requestTimeout);
    }

    /** Netty's bind failure hides "Address already in use" a few causes down. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
