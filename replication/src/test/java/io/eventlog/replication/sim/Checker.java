package io.eventlog.replication.sim;

import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.ReadState;
import io.eventlog.replication.Ready;
import io.eventlog.replication.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Raft's safety properties (paper Figure 3), checked after every event of a simulation:
 * election safety, leader append-only, log matching, leader completeness, state machine safety,
 * plus: commit indexes never go down, every applied entry was proposed, reads are linearizable.
 */
public final class Checker {

    private record IndexTerm(long index, long term) {
    }

    private final String replayHint;
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    /** (index, term) -> fingerprint of the entry, and -> term of the entry before it. */
    private final Map<IndexTerm, Long> entryAt = new HashMap<>();
    private final Map<IndexTerm, Long> prevTermAt = new HashMap<>();
    /** index -> term of the committed entry. */
    private final Map<Long, Long> committed = new HashMap<>();
    private long maxCommitted;
    /** index -> fingerprint of the applied entry, and the state machine's hash after it. */
    private final Map<Long, Long> appliedEntry = new HashMap<>();
    private final Map<Long, Long> stateHash = new HashMap<>();
    private final Set<Long> proposed = new HashSet<>();
    private final Set<Long> appliedIds = new HashSet<>();
    private final Map<Long, Long> readIssuedAt = new HashMap<>();
    private long checks;

    public Checker(String replayHint) {
        this.replayHint = replayHint;
    }

    public long checks() {
        return checks;
    }

    public long maxCommitted() {
        return maxCommitted;
    }

    void fail(String what) {
        throw new AssertionError(what + "\n" + replayHint);
    }

    public void proposed(long payloadId) {
        proposed.add(payloadId);
    }

    /** Payloads proposed (accepted or refused) that no node has applied yet, in id order. */
    public java.util.List<Long> unappliedProposals() {
        return proposed.stream().filter(id -> !appliedIds.contains(id)).sorted().toList();
    }

    public boolean applied(long payloadId) {
        return appliedIds.contains(payloadId);
    }

    public void readIssued(long context) {
        readIssuedAt.put(context, maxCommitted);
    }

    /** Leader append-only and log matching, on the entries a node hands out to persist. */
    void onReady(Host h, Ready r) {
        checks++;
        RaftNode n = h.node;
        if (r.snapshot() != null) {
            h.lastHanded = r.snapshot().meta().index();
        }
        if (r.entries().isEmpty()) {
            return;
        }
        Entry first = r.entries().get(0);
        if (n.role() == Role.LEADER) {
            if (first.index() <= h.lastHanded) {
                fail("leader append-only: leader " + n.id() + " term " + n.term() + " rewrites from " + first.index()
                        + " (had " + h.lastHanded + ")");
            }
            for (Entry e : r.entries()) {
                if (e.term() != n.term()) {
                    fail("leader " + n.id() + " of term " + n.term() + " appends " + e);
                }
            }
        }
        long prevTerm = n.termAt(first.index() - 1);
        for (Entry e : r.entries()) {
            IndexTerm key = new IndexTerm(e.index(), e.term());
            Long fp = entryAt.putIfAbsent(key, fingerprint(e));
            if (fp != null && fp != fingerprint(e)) {
                fail("log matching: two different entries at index " + e.index() + " term " + e.term() + " (node "
                        + n.id() + ")");
            }
            if (prevTerm >= 0) {
                Long pt = prevTermAt.putIfAbsent(key, prevTerm);
                if (pt != null && pt != prevTerm) {
                    fail("log matching: entry " + e.index() + "@" + e.term() + " follows term " + prevTerm + " on node "
                            + n.id() + " but term " + pt + " elsewhere");
                }
            }
            prevTerm = e.term();
        }
        h.lastHanded = r.entries().get(r.entries().size() - 1).index();
    }

    /** Election safety, leader completeness, commit monotonicity, after every event at a node. */
    void afterEvent(Host h) {
        checks++;
        RaftNode n = h.node;
        long commit = n.commitIndex();
        if (commit < h.lastCommitSeen) {
            fail("commit index of node " + n.id() + " went down from " + h.lastCommitSeen + " to " + commit);
        }
        for (long i = h.lastCommitSeen + 1; i <= commit; i++) {
            long t = n.termAt(i);
            if (t < 0) {
                continue;
            }
            Long prev = committed.putIfAbsent(i, t);
            if (prev != null && prev != t) {
                fail("committed entry " + i + " changed from term " + prev + " to " + t + " on node " + n.id());
            }
            maxCommitted = Math.max(maxCommitted, i);
        }
        h.lastCommitSeen = commit;
        if (n.role() == Role.LEADER) {
            Long other = leaderOfTerm.putIfAbsent(n.term(), n.id());
            if (other == null) {
                checkLeaderCompleteness(n);
            } else if (other != n.id()) {
                fail("election safety: nodes " + other + " and " + n.id() + " both lead term " + n.term());
            }
        }
    }

    private void checkLeaderCompleteness(RaftNode leader) {
        if (leader.lastIndex() < maxCommitted) {
            fail("leader completeness: leader " + leader.id() + " of term " + leader.term() + " ends at "
                    + leader.lastIndex() + " but " + maxCommitted + " is committed");
        }
        long first = leader.firstIndex();
        for (Map.Entry<Long, Long> c : committed.entrySet()) {
            if (c.getKey() >= first && leader.termAt(c.getKey()) != c.getValue()) {
                fail("leader completeness: leader " + leader.id() + " of term " + leader.term() + " lacks committed entry "
                        + c.getKey() + "@" + c.getValue());
            }
        }
    }

    /** State machine safety: every node applies the same entry at each index, in order. */
    void onApply(Host h, Entry e) {
        checks++;
        App app = h.app;
        if (e.index() != app.applied + 1) {
            fail("node " + h.id + " applies " + e.index() + " after " + app.applied);
        }
        long fp = fingerprint(e);
        Long prev = appliedEntry.putIfAbsent(e.index(), fp);
        if (prev != null && prev != fp) {
            fail("state machine safety: node " + h.id + " applies a different entry at " + e.index());
        }
        if (e.kind() == EntryKind.NORMAL) {
            long pid = payloadId(e.payload());
            if (!proposed.contains(pid)) {
                fail("node " + h.id + " applies entry " + e.index() + " that no client proposed");
            }
            appliedIds.add(pid);
        }
        app.apply(e, fp);
        Long hash = stateHash.putIfAbsent(e.index(), app.hash);
        if (hash != null && hash != app.hash) {
            fail("state machine safety: state of node " + h.id + " after " + e.index() + " differs");
        }
    }

    void onRestore(Host h, long index) {
        Long hash = stateHash.putIfAbsent(index, h.app.hash);
        if (hash != null && hash != h.app.hash) {
            fail("snapshot at " + index + " restored on node " + h.id + " differs from the applied state");
        }
    }

    void onReadState(Host h, ReadState rs) {
        checks++;
        Long issuedAt = readIssuedAt.get(rs.context()); // the network may duplicate a response
        if (issuedAt == null) {
            fail("node " + h.id + " got a read state nobody asked for: " + rs);
        } else if (rs.index() < issuedAt) {
            fail("linearizability: read " + rs.context() + " on node " + h.id + " got index " + rs.index()
                    + " but " + issuedAt + " was committed before it was issued");
        }
    }

    static long payloadId(byte[] payload) {
        return payload.length >= 8 ? ByteBuffer.wrap(payload).getLong() : -1;
    }

    static long fingerprint(Entry e) {
        long h = e.term() * 0x9E3779B97F4A7C15L + e.kind().ordinal();
        return h * 31 + Arrays.hashCode(e.payload());
    }
}
