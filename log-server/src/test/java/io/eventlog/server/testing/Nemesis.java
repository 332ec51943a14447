package io.eventlog.server.testing;

import io.eventlog.server.testing.TcpProxy.Mode;
import io.eventlog.server.testing.history.History;
import io.eventlog.server.testing.history.Op;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Injects faults into a {@link ProcessCluster} and records each in the {@link History} as a FAULT op, as
 * Jepsen's nemesis does. A fault is recorded once it has taken effect and a heal before it begins, so the
 * time between a fault's op and its heal's op lies within the time the fault was really there.
 */
public final class Nemesis {
    private final ProcessCluster cluster;
    private final History history;
    private final Map<String, Integer> injected = new TreeMap<>();

    public Nemesis(ProcessCluster cluster, History history) {
        this.cluster = cluster;
        this.history = history;
    }

    public Op kill9(int id) {
        cluster.kill9(id);
        return fault("kill -9", id, "kill -9 node " + id);
    }

    /** Starts the node again on its data; recorded once it serves. */
    public Op restart(int id) {
        cluster.restart(id);
        return heal(id, "restarted node " + id);
    }

    /** SIGSTOP. */
    public Op pause(int id) {
        cluster.pause(id);
        return fault("pause", id, "SIGSTOP node " + id);
    }

    /** SIGCONT. */
    public Op resume(int id) {
        Op op = heal(id, "SIGCONT node " + id);
        cluster.resume(id);
        return op;
    }

    /** Stops every node cleanly (SIGTERM). */
    public Op stopAll() {
        cluster.stopAll();
        return fault("stop all", 0, "SIGTERM every node");
    }

    /** Kills every node at once (SIGKILL). */
    public Op killAll() {
        cluster.runningNodes().forEach(cluster::kill9);
        return fault("kill -9 all", 0, "kill -9 every node");
    }

    /** Starts every node that is down; recorded once all serve. */
    public Op startAll() {
        cluster.startAll();
        return heal(0, "started every node that was down");
    }

    public Op isolate(int id) {
        cluster.isolate(id);
        return fault("isolate", id, "cut every link to and from node " + id);
    }

    /** Every link between {@code a} and {@code b}, both ways, in {@code mode}. */
    public Op partition(Collection<Integer> a, Collection<Integer> b, Mode mode) {
        cluster.partition(a, b, mode);
        return fault("partition " + mode.kind(), 0, "links between " + a + " and " + b + " " + mode);
    }

    /** What {@code from} sends to {@code to} (the link's upstream) in {@code mode}. */
    public Op link(int from, int to, Mode mode) {
        cluster.link(from, to).upstream(mode);
        return fault("link " + mode.kind(), 0, "link " + from + " -> " + to + " " + mode);
    }

    /** Every link back to PASS. */
    public Op heal() {
        Op op = heal(0, "healed every link");
        cluster.heal();
        return op;
    }

    /** Ends every fault: links healed, paused nodes resumed, nodes down started. */
    public void healAll() {
        heal();
        for (int id : cluster.ids()) {
            if (cluster.isPaused(id)) {
                resume(id);
            }
        }
        if (cluster.liveNodes().size() < cluster.size()) {
            startAll();
        }
    }

    /** How many faults of each kind were injected. */
    public Map<String, Integer> injected() {
        synchronized (injected) {
            return Map.copyOf(injected);
        }
    }

    private Op fault(String kind, int node, String what) {
        synchronized (injected) {
            injected.merge(kind, 1, Integer::sum);
        }
        return history.fault(node == 0 ? null : cluster.httpBase(node).toString(), what);
    }

    private Op heal(int node, String what) {
        return history.fault(node == 0 ? null : cluster.httpBase(node).toString(), what);
    }
}
