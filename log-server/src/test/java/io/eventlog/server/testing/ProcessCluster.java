package io.eventlog.server.testing;

import io.eventlog.server.testing.TcpProxy.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Raft cluster of {@code eventlog serve} processes on 127.0.0.1, for fault tests: nodes can be killed
 * with SIGKILL, restarted on their data, paused (SIGSTOP) and resumed, and every directed peer link
 * {@code i → j} runs through a {@link TcpProxy} ({@link #link}) that can cut, blackhole or delay it. Node
 * {@code i}'s {@code --peers} lists its own real peer address (it binds there) and, for each other node
 * {@code j}, the port of the proxy {@code i → j}.
 *
 * <pre>{@code
 * try (ProcessCluster cluster = ProcessCluster.start(3, dataDir, logDir, List.of("--append-timeout=4s"))) {
 *     int leader = cluster.leader();
 *     cluster.isolate(leader);
 *     ...
 *     cluster.heal();
 *     long commitIndex = cluster.awaitConverged();
 * }
 * }</pre>
 */
public final class ProcessCluster implements AutoCloseable {
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(60);
    /** Polls in a row that must agree before the nodes count as converged (the commit index may still move). */
    private static final int AGREEING_POLLS = 3;

    private final List<ClusterNode> nodes = new ArrayList<>();
    private final LinkProxies links;
    private final List<String> serveArgs;
    private final Path logDir;

    private ProcessCluster(int size, Path dataDir, Path logDir, List<String> serveArgs) throws IOException {
        this.serveArgs = List.copyOf(serveArgs);
        this.logDir = Files.createDirectories(logDir);
        // Held open until the proxies have their ports, so that none of them takes a node's port.
        List<ServerSocket> reserved = new ArrayList<>();
        try {
            for (int id = 1; id <= size; id++) {
                ServerSocket peer = reserve(reserved);
                ServerSocket http = reserve(reserved);
                ServerSocket binary = reserve(reserved);
                nodes.add(new ClusterNode(id, peer.getLocalPort(), http.getLocalPort(), binary.getLocalPort(),
                        Files.createDirectories(dataDir.resolve("node-" + id)), logDir));
            }
            this.links = new LinkProxies(size, id -> node(id).peerPort());
        } finally {
            for (ServerSocket socket : reserved) {
                socket.close();
            }
        }
    }

    /**
     * Starts {@code size} nodes and returns once each serves HTTP (not necessarily with a leader yet).
     *
     * @param dataDir   each node's data goes under it
     * @param logDir    each node run's output (stdout, stderr, GC log) goes there
     * @param serveArgs more options for every {@code serve}, e.g. {@code --append-timeout=4s}
     */
    public static ProcessCluster start(int size, Path dataDir, Path logDir, List<String> serveArgs) {
        ProcessCluster cluster;
        try {
            cluster = new ProcessCluster(size, dataDir, logDir, serveArgs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            cluster.startAll();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public int size() {
        return nodes.size();
    }

    /** Node ids, 1 to {@link #size()}. */
    public List<Integer> ids() {
        return IntStream.rangeClosed(1, size()).boxed().toList();
    }

    public URI httpBase(int id) {
        return node(id).httpBase();
    }

    /** Where node {@code id} serves the binary protocol, host:port. */
    public String binaryAddress(int id) {
        return node(id).binaryAddress();
    }

    /** The nodes running and not paused. */
    public Set<Integer> liveNodes() {
        return nodes.stream().filter(ClusterNode::isLive).map(ClusterNode::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The nodes whose process runs, paused or not. */
    public Set<Integer> runningNodes() {
        return nodes.stream().filter(ClusterNode::isRunning).map(ClusterNode::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public boolean isPaused(int id) {
        return node(id).isRunning() && !node(id).isLive();
    }

    public void kill9(int id) {
        node(id).kill9();
    }

    /** Starts the node again on the same data and ports (killing it first if it runs); returns once it serves. */
    public void restart(int id) {
        ClusterNode node = node(id);
        if (node.isRunning()) {
            node.kill9();
        }
        node.start(peersOf(id), serveArgs);
        node.awaitListening();
    }

    public void pause(int id) {
        node(id).pause();
    }

    public void resume(int id) {
        node(id).resume();
    }

    /** Stops every running node cleanly (SIGTERM) and waits until all have exited. */
    public void stopAll() {
        nodes.stream().filter(ClusterNode::isRunning).forEach(ClusterNode::stop);
    }

    /** Starts every node that is not running, all at once; returns once each serves. */
    public void startAll() {
        List<ClusterNode> started = nodes.stream().filter(n -> !n.isRunning()).toList();
        started.forEach(n -> n.start(peersOf(n.id()), serveArgs));
        started.forEach(ClusterNode::awaitListening);
    }

    /** The proxy on the directed link {@code from → to}: its upstream carries what {@code from} sends to {@code to}. */
    public TcpProxy link(int from, int to) {
        return links.link(from, to);
    }

    /** Cuts every link to and from {@code id}. */
    public void isolate(int id) {
        partition(Set.of(id), ids().stream().filter(other -> other != id).toList());
    }

    /** Cuts every link between a node of {@code a} and one of {@code b}, both ways. */
    public void partition(Collection<Integer> a, Collection<Integer> b) {
        links.between(a, b, Mode.CUT);
    }

    /** Puts every link between a node of {@code a} and one of {@code b}, both ways, in {@code mode}. */
    public void partition(Collection<Integer> a, Collection<Integer> b, Mode mode) {
        links.between(a, b, mode);
    }

    /** Every link back to PASS. */
    public void heal() {
        links.heal();
    }

    /** The leader every live node agrees on (waiting for one). */
    public int leader() {
        return leaderAmong(liveNodes());
    }

    /** The leader that every node of {@code ids} agrees on, one of them, waiting for one. */
    public int leaderAmong(Collection<Integer> ids) {
        return Poll.until("a leader that nodes " + ids + " agree on", LEADER_TIMEOUT, () -> agreedLeader(ids),
                this::describe);
    }

    /**
     * Waits until every live node knows the same leader and the same commit index, over a few polls in a row,
     * and has applied up to it ({@code min_offset}); returns that commit index.
     */
    public long awaitConverged() {
        Set<Integer> live = liveNodes();
        long[] agreed = {-1};
        int[] polls = {0};
        long index = Poll.until("nodes " + live + " to agree on a leader and a commit index", CONVERGE_TIMEOUT, () -> {
            Optional<Long> now = agreedCommitIndex(live);
            polls[0] = now.isPresent() && now.get() == agreed[0] ? polls[0] + 1 : 1;
            agreed[0] = now.orElse(-1L);
            return polls[0] >= AGREEING_POLLS && agreed[0] >= 0 ? now : Optional.empty();
        }, this::describe);
        for (int id : live) {
            HttpLogClient client = new HttpLogClient(httpBase(id), CONVERGE_TIMEOUT);
            if (!client.awaitApplied(index)) {
                throw new AssertionError("node " + id + " did not apply the commit index " + index + "; " + describe());
            }
        }
        return index;
    }

    /** Every node's state, each link not passing, and where every node run's output is. */
    public String describe() {
        StringBuilder text = new StringBuilder("cluster: ");
        for (ClusterNode node : nodes) {
            text.append(node).append(' ').append(node.isLive() ? NodeStatus.of(node.httpBase()).map(Object::toString)
                    .orElse("(no answer)") : "").append("; ");
        }
        return text.append(links.faults()).append("; node output in ").append(logDir).toString();
    }

    /** Every node run's stdout and stderr files so far. */
    public List<Path> logFiles() {
        return nodes.stream().flatMap(n -> n.logFiles().stream()).toList();
    }

    @Override
    public void close() {
        nodes.forEach(ClusterNode::close);
        links.close();
    }

    private Optional<Integer> agreedLeader(Collection<Integer> ids) {
        return statuses(ids).flatMap(statuses -> agreedLeader(statuses, ids));
    }

    private Optional<Long> agreedCommitIndex(Collection<Integer> ids) {
        return statuses(ids).filter(statuses -> agreedLeader(statuses, ids).isPresent())
                .flatMap(statuses -> single(statuses.stream().map(NodeStatus::commitIndex).toList()));
    }

    /** The leader all of {@code statuses} name, if it is one of {@code ids}. */
    private static Optional<Integer> agreedLeader(List<NodeStatus> statuses, Collection<Integer> ids) {
        return single(statuses.stream().map(NodeStatus::leader).toList()).filter(ids::contains);
    }

    /** What every node of {@code ids} says, or empty if one does not answer (or is not live). */
    private Optional<List<NodeStatus>> statuses(Collection<Integer> ids) {
        List<NodeStatus> statuses = new ArrayList<>();
        for (int id : ids) {
            Optional<NodeStatus> status = node(id).isLive() ? NodeStatus.of(httpBase(id)) : Optional.empty();
            if (status.isEmpty()) {
                return Optional.empty();
            }
            statuses.add(status.get());
        }
        return Optional.of(statuses);
    }

    /** The one value all of {@code values} are, if they agree. */
    private static <T> Optional<T> single(List<T> values) {
        return values.isEmpty() || values.stream().distinct().count() > 1 ? Optional.empty()
                : Optional.of(values.get(0));
    }

    /** Node {@code id}'s --peers: its own peer address, and the proxy to each other node. */
    private String peersOf(int id) {
        return ids().stream().map(other -> other + "=127.0.0.1:"
                        + (other == id ? node(id).peerPort() : links.link(id, other).port()))
                .collect(Collectors.joining(","));
    }

    private ClusterNode node(int id) {
        if (id < 1 || id > nodes.size()) {
            throw new IllegalArgumentException("no node " + id + " in a cluster of " + nodes.size());
        }
        return nodes.get(id - 1);
    }

    private static ServerSocket reserve(List<ServerSocket> reserved) {
        ServerSocket socket = FreePorts.reserve();
        reserved.add(socket);
        return socket;
    }
}
