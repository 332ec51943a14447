package io.eventlog.replication.sim;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.replication.MemoryStorage;
import io.eventlog.replication.Message;
import io.eventlog.replication.RaftConfig;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.ReadState;
import io.eventlog.replication.Ready;
import io.eventlog.replication.Role;
import io.eventlog.replication.SnapshotMeta;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Raft nodes in one thread over a {@link Network}, with simulated time (ticks) and simulated disks
 * whose writes complete after a delay and are lost on a crash. Every event is followed by the
 * {@link Checker}'s safety checks. Used by the scenario tests (no faults, instant disks) and by the
 * {@link Simulation} (random faults).
 */
public final class Cluster {

    public static final long GROUP = 7;

    private final SplittableRandom random;
    private final Network net;
    private final Checker checker;
    private final Map<Long, Host> hosts = new TreeMap<>();
    private final UnaryOperator<RaftConfig.Builder> configure;
    private long now;
    private int maxWriteDelay;
    private long nextPayloadId = 1;
    private long nextReadContext = 1;
    private long events;
    private Consumer<String> trace;
    private final Map<String, Long> counters = new TreeMap<>();

    public Cluster(long seed, UnaryOperator<RaftConfig.Builder> configure, String replayHint) {
        this.random = new SplittableRandom(seed);
        this.net = new Network(random.split());
        this.checker = new Checker(replayHint);
        this.configure = configure;
    }

    /** A fault-free cluster of voters 1..n with default settings, each member started. */
    public static Cluster of(int n) {
        return of(n, b -> b);
    }

    public static Cluster of(int n, UnaryOperator<RaftConfig.Builder> configure) {
        Cluster c = new Cluster(42, configure, "scenario");
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
        }
        for (long id : ids) {
            c.addHost(id, MemoryStorage.bootstrap(ids));
            c.start(id);
        }
        return c;
    }

    // ------------------------------------------------------------------ set-up

    public Host addHost(long id, MemoryStorage storage) {
        Host h = new Host(id, storage);
        h.lastHanded = storage.lastIndex();
        hosts.put(id, h);
        return h;
    }

    /** Starts (or restarts) a node from its durable storage. */
    public void start(long id) {
        Host h = hosts.get(id);
        SnapshotMeta snap = h.storage.snapshotMeta();
        h.app = new App();
        if (snap.index() > 0) {
            h.app.restore(snap.index(), h.storage.snapshotData());
        }
        RaftConfig cfg = configure.apply(RaftConfig.builder(id, GROUP, random.split())).applied(snap.index()).build();
        h.node = new RaftNode(cfg, h.storage);
        h.lastHanded = h.storage.lastIndex();
        h.lastCommitSeen = h.node.commitIndex();
        trace("start " + id + " " + h.node);
        drain(h);
    }

    /** Stops a node: what its disk had not finished writing is lost. */
    public void crash(long id) {
        Host h = hosts.get(id);
        count("crash");
        trace("crash " + id + (h.writes.isEmpty() ? "" : " losing " + h.writes.size() + " writes"));
        h.node = null;
        h.writes.clear();
    }

    public void network(Network.Faults faults) {
        net.faults(faults);
    }

    public void maxWriteDelay(int ticks) {
        this.maxWriteDelay = ticks;
    }

    public void trace(Consumer<String> sink) {
        this.trace = sink;
    }

    // ------------------------------------------------------------------ time

    /** One tick of simulated time: every running node ticks, then everything due happens. */
    public void tick() {
        now++;
        for (Host h : hosts.values()) {
            if (h.up()) {
                h.node.tick();
                drain(h);
            }
        }
        runDue();
    }

    public void tick(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    /** Delivers messages and completes disk writes due now, until nothing is left to do now. */
    public void runDue() {
        boolean progress = true;
        while (progress) {
            progress = false;
            Message m;
            while ((m = net.poll(now)) != null) {
                deliver(m);
                progress = true;
            }
            for (Host h : hosts.values()) {
                while (h.up() && !h.writes.isEmpty() && h.writes.peekFirst().dueAt() <= now) {
                    Ready r = h.writes.pollFirst().ready();
                    h.storage.persist(r);
                    h.node.advance(r);
                    drain(h);
                    progress = true;
                }
            }
        }
    }

    /** Without faults and delays: delivers everything until the network is quiet (no ticks). */
    public void stabilize() {
        runDue();
    }

    private void deliver(Message m) {
        events++;
        if (m.group() != GROUP) {
            checker.fail("message names group " + m.group() + ": " + m);
        }
        Host h = hosts.get(m.to());
        if (h == null || !h.up()) {
            Host sender = hosts.get(m.from());
            if (sender != null && sender.up()) {
                sender.node.reportUnreachable(m.to()); // as a transport would on a refused connection
                drain(sender);
            }
            return;
        }
        count(m.getClass().getSimpleName());
        trace("t" + now + " " + m);
        h.node.step(m);
        drain(h);
    }

    private void drain(Host h) {
        RaftNode n = h.node;
        while (n.hasReady()) {
            Ready r = n.ready();
            if (r.softState() != null) {
                if (r.softState().role() == Role.LEADER) {
                    count("leader elected");
                }
                trace("t" + now + " node " + h.id + " " + r.softState());
            }
            checker.onReady(h, r);
            for (Message m : r.messages()) {
                net.send(m, now);
            }
            if (r.needsPersistence()) {
                long due = now + (maxWriteDelay == 0 ? 0 : random.nextInt(maxWriteDelay + 1));
                if (!h.writes.isEmpty()) {
                    due = Math.max(due, h.writes.peekLast().dueAt());
                }
                h.writes.addLast(new Host.Write(due, r));
            }
            if (r.snapshot() != null) {
                count("snapshot installed");
                h.app.restore(r.snapshot().meta().index(), r.snapshot().data());
                checker.onRestore(h, r.snapshot().meta().index());
            }
            for (Entry e : r.committedEntries()) {
                checker.onApply(h, e);
            }
            for (ReadState rs : r.readStates()) {
                checker.onReadState(h, rs);
                h.readStates.add(rs);
            }
        }
        checker.afterEvent(h);
        if (maxWriteDelay == 0 && !h.writes.isEmpty()) {
            // instant disks: complete the writes right away
            while (!h.writes.isEmpty()) {
                Ready r = h.writes.pollFirst().ready();
                h.storage.persist(r);
                n.advance(r);
            }
            drain(h);
        }
    }

    // ------------------------------------------------------------------ client actions

    /** Proposes {@code count} fresh payloads on node {@code id}; returns the first index. */
    public long propose(long id, int count, int size) {
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long pid = nextPayloadId++;
            checker.proposed(pid);
            ids.add(pid);
        }
        return propose(id, ids, size);
    }

    /** Proposes (or, as a retrying client, proposes again) the payloads with these ids on node {@code id}. */
    public long propose(long id, List<Long> payloadIds, int size) {
        List<byte[]> batch = new ArrayList<>(payloadIds.size());
        for (long pid : payloadIds) {
            byte[] p = new byte[Math.max(8, size)];
            ByteBuffer.wrap(p).putLong(pid);
            batch.add(p);
        }
        Host h = hosts.get(id);
        long index = h.node.propose(batch);
        trace("t" + now + " propose " + batch.size() + " on " + id + " at " + index);
        drain(h);
        return index;
    }

    public long propose(long id) {
        return propose(id, 1, 16);
    }

    /** Asks node {@code id} for a linearizable read; returns the context, or -1 if refused. */
    public long readIndex(long id) {
        long ctx = nextReadContext++;
        checker.readIssued(ctx);
        Host h = hosts.get(id);
        boolean ok = h.node.readIndex(ctx);
        drain(h);
        return ok ? ctx : -1;
    }

    /** Takes an application snapshot at the node's applied index and compacts its log. */
    public boolean compact(long id) {
        Host h = hosts.get(id);
        long index = h.app.applied;
        if (index <= h.storage.snapshotMeta().index()) {
            return false;
        }
        SnapshotMeta meta;
        try {
            meta = h.node.snapshotMeta(index);
        } catch (IllegalArgumentException notNow) {
            return false; // a received snapshot is still being written
        }
        h.storage.compact(meta, h.app.snapshot());
        count("compaction");
        trace("t" + now + " compact " + id + " at " + index);
        return true;
    }

    /** Runs an action on a node and processes its output. */
    public void on(long id, Consumer<RaftNode> action) {
        Host h = hosts.get(id);
        action.accept(h.node);
        drain(h);
    }

    // ------------------------------------------------------------------ network

    public void isolate(long id) {
        net.isolate(id, hosts.keySet());
    }

    public void partition(Set<Long> a, Set<Long> b) {
        net.partition(a, b);
    }

    public void cut(long from, long to) {
        net.cut(from, to);
    }

    public void heal() {
        trace("t" + now + " heal");
        net.heal();
    }

    // ------------------------------------------------------------------ inspection

    public RaftNode node(long id) {
        return hosts.get(id).node;
    }

    public Host host(long id) {
        return hosts.get(id);
    }

    public Set<Long> ids() {
        return hosts.keySet();
    }

    /** The running leader of the highest term, or 0. */
    public long leader() {
        long best = 0;
        long bestTerm = -1;
        for (Host h : hosts.values()) {
            if (h.up() && h.node.role() == Role.LEADER && h.node.term() > bestTerm) {
                best = h.id;
                bestTerm = h.node.term();
            }
        }
        return best;
    }

    /** Members of the configuration of the given node. */
    public ClusterConfig config(long id) {
        return hosts.get(id).node.config();
    }

    public Checker checker() {
        return checker;
    }

    public long now() {
        return now;
    }

    public long events() {
        return events;
    }

    public Network net() {
        return net;
    }

    SplittableRandom random() {
        return random;
    }

    /** Adds one to a named event counter. */
    public void count(String what) {
        counters.merge(what, 1L, Long::sum);
    }

    public Map<String, Long> counters() {
        return counters;
    }

    void trace(String line) {
        if (trace != null) {
            trace.accept(line);
        }
    }
}
