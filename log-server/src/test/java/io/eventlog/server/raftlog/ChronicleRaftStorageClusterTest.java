package io.eventlog.server.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.ConfChange;
import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.replication.Message;
import io.eventlog.replication.RaftConfig;
import io.eventlog.replication.RaftNode;
import io.eventlog.replication.Ready;
import io.eventlog.replication.Role;
import io.eventlog.replication.SnapshotMeta;
import io.eventlog.server.storage.CorruptRecordException;
import io.eventlog.server.storage.LogReader;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.RecordKind;
import io.eventlog.server.storage.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Raft core on three {@link ChronicleRaftStorage}s, messages delivered in process by a small
 * deterministic loop: the logs end identical, entry for entry, through a membership change, restarts
 * (one from a compacted log) and a deposed leader whose uncommitted entries are superseded.
 */
class ChronicleRaftStorageClusterTest {
    private static final long GROUP = 1;
    private static final ClusterConfig MEMBERS = ClusterConfig.ofVoters(1, 2, 3);
    private static final String STREAM = "orders";

    @TempDir
    Path dir;

    private final Map<Long, Member> members = new LinkedHashMap<>();
    private final ArrayDeque<Message> network = new ArrayDeque<>();
    private final Set<Long> isolated = new HashSet<>();
    private int proposed;

    /** One node: its queue and Raft storage, the core on them, and the entries it applied. */
    private final class Member {
        final long id;
        final Path data;
        final List<Entry> applied = new ArrayList<>();
        OpenRaftLog raft;
        RaftNode node;

        Member(long id) {
            this.id = id;
            this.data = dir.resolve("node-" + id);
        }

        /** Opens the storage and builds a core on it, as a (re)starting node does. */
        void start(long appliedIndex) {
            raft = OpenRaftLog.open(data, MEMBERS);
            node = new RaftNode(RaftConfig.builder(id, GROUP, new SplittableRandom(id)).applied(appliedIndex).build(),
                    raft.storage());
        }

        void restart(long appliedIndex) {
            raft.close();
            start(appliedIndex);
        }

        /** Sends, persists (then syncs, as the driver does per batch), reports durable and applies each Ready. */
        void process() {
            while (node.hasReady()) {
                Ready ready = node.ready();
                network.addAll(ready.messages());
                raft.storage().persist(ready);
                raft.storage().sync();
                node.advance(ready);
                applied.addAll(ready.committedEntries());
            }
        }

        ChronicleRaftStorage storage() {
            return raft.storage();
        }

        List<Entry> log() {
            return storage().entries(storage().firstIndex(), storage().lastIndex() + 1, Long.MAX_VALUE);
        }
    }

    @Test
    void threeNodesKeepIdenticalLogsThroughChangesRestartsAndAConflict() {
        for (long id = 1; id <= 3; id++) {
            Member member = new Member(id);
            members.put(id, member);
            member.start(0);
        }
        Member first = members.get(1L);
        first.node.campaign();
        first.process();
        deliver();
        assertEquals(Role.LEADER, first.node.role());

        proposeAndCommit(first, 150);

        // Remove node 3 and add it back: learner, then voter once caught up.
        changeMembership(first, ConfChange.remove(3));
        proposeAndCommit(first, 20);
        changeMembership(first, ConfChange.addLearner(3));
        changeMembership(first, ConfChange.promote(3));
        assertEquals(MEMBERS, first.node.config());
        proposeAndCommit(first, 100);

        // Node 2 restarts with an empty state machine; node 3 compacts its log first and restarts from the snapshot.
        Member second = members.get(2L);
        second.applied.clear();
        second.restart(0);
        Member third = members.get(3L);
        SnapshotMeta snapshot = third.node.snapshotMeta(third.node.appliedIndex());
        third.storage().compact(snapshot, "state".getBytes(StandardCharsets.UTF_8));
        third.restart(snapshot.index());
        proposeAndCommit(first, 50);
        runUntil(() -> second.node.appliedIndex() == first.node.commitIndex()
                && third.node.appliedIndex() == first.node.commitIndex(), "the restarted nodes catch up");

        // The leader is cut off after appending entries nobody else has; another leader is elected.
        isolated.add(first.id);
        long orphanTerm = first.node.term();
        long orphanIndex = first.node.propose(List.of(payload("orphan-1"), payload("orphan-2"), payload("orphan-3")));
        first.process();
        network.clear();
        assertEquals(orphanIndex + 2, first.storage().lastIndex());
        runUntil(() -> leader() != null && leader() != first, "a new leader is elected");
        Member next = leader();
        proposeAndCommit(next, 60);

        // Healed, the old leader takes the new leader's entries in place of its own.
        isolated.clear();
        runUntil(() -> first.node.role() == Role.FOLLOWER && first.node.appliedIndex() == next.node.commitIndex()
                && first.storage().lastIndex() == next.storage().lastIndex(), "the old leader catches up");
        assertNotEquals(orphanTerm, first.storage().term(orphanIndex), "superseded by the new leader's entry");

        first.applied.clear();
        first.restart(0);
        runUntil(() -> first.node.appliedIndex() == next.node.commitIndex(), "the old leader restarts");

        assertIdenticalLogs();
        assertNoOrphans(first);
        for (Member member : members.values()) {
            assertAppliedProposalsOnce(member);
        }
        assertTheEventReadersServeTheEntries(next);
        for (Member member : members.values()) {
            member.raft.close();
        }
    }

    // ---- driving the cluster ----

    private byte[] payload(String data) {
        return OpenRaftLog.eventPayload(STREAM, 0, data);
    }

    private void proposeAndCommit(Member leader, int count) {
        for (int i = 0; i < count; i += 10) {
            List<byte[]> batch = new ArrayList<>();
            for (int k = 0; k < 10 && i + k < count; k++) {
                batch.add(payload("p-" + proposed++));
            }
            leader.node.propose(batch);
            leader.process();
            deliver();
        }
        long target = leader.node.lastIndex();
        runUntil(() -> leader.node.commitIndex() >= target, "proposals commit");
    }

    private void changeMembership(Member leader, ConfChange change) {
        long index = leader.node.proposeConfChange(change);
        leader.process();
        runUntil(() -> leader.node.commitIndex() >= index && leader.node.appliedIndex() >= index,
                change + " commits");
    }

    /** Delivers every message in flight (and those they cause), dropping any to or from an isolated node. */
    private void deliver() {
        Message message;
        while ((message = network.poll()) != null) {
            if (isolated.contains(message.from()) || isolated.contains(message.to())) {
                continue;
            }
            Member to = members.get(message.to());
            to.node.step(message);
            to.process();
        }
    }

    private void tick(int ticks) {
        for (int t = 0; t < ticks; t++) {
            for (Member member : members.values()) {
                member.node.tick();
                member.process();
            }
            deliver();
        }
    }

    private void runUntil(BooleanSupplier done, String what) {
        for (int t = 0; t < 500 && !done.getAsBoolean(); t++) {
            tick(1);
        }
        assertTrue(done.getAsBoolean(), what + " within 500 ticks");
    }

    private Member leader() {
        return members.values().stream().filter(m -> !isolated.contains(m.id) && m.node.role() == Role.LEADER)
                .findFirst().orElse(null);
    }

    // ---- checks ----

    /** Every node holds the same entry at every index they all hold, and they end at the same index. */
    private void assertIdenticalLogs() {
        Member reference = members.get(1L);
        long last = reference.storage().lastIndex();
        for (Member member : members.values()) {
            assertEquals(last, member.storage().lastIndex(), "node " + member.id + " last index");
            long from = member.storage().firstIndex();
            assertEquals(reference.storage().entries(from, last + 1, Long.MAX_VALUE), member.log(),
                    "node " + member.id + " from " + from);
        }
    }

    private void assertNoOrphans(Member oldLeader) {
        for (Entry entry : oldLeader.log()) {
            if (entry.kind() == EntryKind.NORMAL) {
                assertFalse(decode(entry).toEntry().dataAsString().startsWith("orphan"), entry.toString());
            }
        }
        long orphansInQueue = 0;
        try (LogReader reader = oldLeader.raft.log().createReader()) {
            LogReader.Excerpt excerpt;
            while ((excerpt = reader.next(LogReader.EVERYTHING)) != null) {
                StoredRecord record = excerpt.record();
                if (record.kind() == RecordKind.EVENT && new String(record.data(), StandardCharsets.UTF_8)
                        .startsWith("orphan")) {
                    orphansInQueue++;
                }
            }
        }
        assertEquals(3, orphansInQueue, "the superseded entries are still in the queue, dead");
    }

    /** Each proposal is applied exactly once, in order; nothing else is. */
    private void assertAppliedProposalsOnce(Member member) {
        List<String> applied = new ArrayList<>();
        long previous = 0;
        for (Entry entry : member.applied) {
            assertTrue(entry.index() > previous, "in order");
            previous = entry.index();
            if (entry.kind() == EntryKind.NORMAL) {
                applied.add(decode(entry).toEntry().dataAsString());
            }
        }
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < proposed; p++) {
            expected.add("p-" + p);
        }
        // A node restarted from a snapshot applies only what follows it.
        assertEquals(expected.subList(expected.size() - applied.size(), expected.size()), applied,
                "node " + member.id);
    }

    /** The node's event readers decode the stored entries as events at their Raft index, as the driver does. */
    private void assertTheEventReadersServeTheEntries(Member member) {
        ChronicleRaftStorage storage = member.storage();
        try (LogReader reader = member.raft.log().createReader()) {
            for (Entry entry : member.log()) {
                if (entry.kind() != EntryKind.NORMAL) {
                    continue;
                }
                reader.moveTo(storage.index().queueIndexOf(entry.index()));
                StoredRecord stored = reader.next(LogReader.EVERYTHING).record();
                assertEquals(RecordKind.EVENT, stored.kind());
                assertEquals(entry.term(), stored.term());
                assertEquals(decode(entry).toEntry(), stored.toEntry());
                assertEquals(entry.index(), stored.offset());
            }
        }
    }

    private static StoredRecord decode(Entry entry) {
        try {
            return RecordCodec.decodeEventPayload(entry.term(), entry.index(), entry.payload());
        } catch (CorruptRecordException e) {
            throw new AssertionError(entry + " does not hold an event payload", e);
        }
    }
}
