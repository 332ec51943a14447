package io.eventlog.replication;

import static io.eventlog.replication.Harness.GROUP;
import static io.eventlog.replication.Harness.only;
import static io.eventlog.replication.RaftPaperTest.electedCluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Message.SnapshotChunk;
import io.eventlog.replication.Message.SnapshotResponse;
import io.eventlog.replication.sim.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log compaction, InstallSnapshot in chunks, and restart from snapshot + log. */
class SnapshotScenarioTest {

    @Test
    void givenALaggingFollower_whenTheLeaderCompactedItsLog_thenTheFollowerGetsTheSnapshotInChunksThenTheRest() {
        Cluster c = Cluster.of(3, b -> b.snapshotChunkBytes(100));
        c.on(1, RaftNode::campaign);
        c.stabilize();
        c.isolate(3);
        for (int i = 0; i < 20; i++) {
            c.propose(1, 5, 30);
        }
        c.stabilize();
        assertTrue(c.compact(1));
        long snapshotIndex = c.host(1).storage().snapshotMeta().index();
        c.propose(1, 3, 30);
        c.stabilize();

        c.heal();
        c.tick(10);

        assertEquals(snapshotIndex, c.host(3).storage().snapshotMeta().index(), "node 3 installed the snapshot");
        assertEquals(c.node(1).commitIndex(), c.node(3).commitIndex());
        assertEquals(c.host(1).appliedIndex(), c.host(3).appliedIndex());
        assertEquals(c.host(1).applied().subList(c.host(1).applied().size() - 3, c.host(1).applied().size()),
                c.host(3).applied(), "then the entries after the snapshot");
        assertTrue(c.host(1).storage().snapshotSize() > 100, "it took more than one chunk");
    }

    @Test
    void givenAFollowerThatLostItsLog_whenTheLeaderIsToldSo_thenItGetsTheSnapshotAndCatchesUp() {
        Cluster c = Cluster.of(3, b -> b.snapshotChunkBytes(100));
        c.on(1, RaftNode::campaign);
        c.stabilize();
        for (int i = 0; i < 10; i++) {
            c.propose(1, 5, 30);
        }
        c.stabilize();
        assertTrue(c.compact(1));
        long snapshotIndex = c.host(1).storage().snapshotMeta().index();
        c.crash(3);
        c.addHost(3, MemoryStorage.bootstrap(1, 2, 3));
        c.start(3);
        c.tick(10);
        assertEquals(0, c.host(3).storage().lastIndex(), "the leader takes its refusals for stale ones");

        c.on(1, node -> node.reportLogLost(3));
        c.tick(10);

        assertEquals(snapshotIndex, c.host(3).storage().snapshotMeta().index(), "node 3 installed the snapshot");
        assertEquals(c.node(1).commitIndex(), c.node(3).commitIndex());
        assertEquals(c.host(1).appliedIndex(), c.host(3).appliedIndex());
    }

    @Test
    void aFollowerAcknowledgesTheSnapshotOnlyOnceItIsDurable() {
        Harness follower = Harness.of(2, 1, 2, 3);
        SnapshotMeta meta = new SnapshotMeta(50, 3, ClusterConfig.ofVoters(1, 2, 3));

        List<Message> first = follower.step(new SnapshotChunk(GROUP, 1, 2, 3, meta, 0, new byte[] {1, 2}, false));
        assertEquals(2, only(first, SnapshotResponse.class).get(0).nextOffset());

        follower.node.step(new SnapshotChunk(GROUP, 1, 2, 3, meta, 2, new byte[] {3}, true));
        assertTrue(only(follower.drain(false), SnapshotResponse.class).isEmpty());
        assertEquals(50, follower.unpersisted.get(0).snapshot().meta().index());
        assertEquals(3, follower.unpersisted.get(0).snapshot().data().length);

        SnapshotResponse done = only(follower.persistAll(), SnapshotResponse.class).get(0);
        assertEquals(SnapshotResponse.Outcome.INSTALLED, done.outcome());
        assertEquals(50, follower.storage.snapshotMeta().index());
        assertEquals(50, follower.node.commitIndex());
    }

    @Test
    void aChunkOutOfOrderIsAnsweredWithTheOffsetTheFollowerExpects() {
        Harness follower = Harness.of(2, 1, 2, 3);
        SnapshotMeta meta = new SnapshotMeta(50, 3, ClusterConfig.ofVoters(1, 2, 3));
        follower.step(new SnapshotChunk(GROUP, 1, 2, 3, meta, 0, new byte[4], false));

        List<Message> out = follower.step(new SnapshotChunk(GROUP, 1, 2, 3, meta, 8, new byte[4], false));

        SnapshotResponse r = only(out, SnapshotResponse.class).get(0);
        assertEquals(SnapshotResponse.Outcome.CONTINUE, r.outcome());
        assertEquals(4, r.nextOffset());
    }

    @Test
    void givenACompactedLog_whenEveryNodeRestarts_thenTheyRecoverFromSnapshotPlusLog() {
        Cluster c = electedCluster(3, 1);
        for (int i = 0; i < 10; i++) {
            c.propose(1, 4, 20);
        }
        c.stabilize();
        for (long id : c.ids()) {
            assertTrue(c.compact(id));
        }
        long last = c.propose(1, 6, 20) + 5;
        c.tick(2);
        long applied = c.host(2).appliedIndex();
        assertEquals(last, applied);

        for (long id : c.ids()) {
            c.crash(id);
        }
        for (long id : c.ids()) {
            c.start(id);
            assertTrue(c.node(id).firstIndex() > 1, "restarted from a snapshot");
        }
        c.tick(40);

        long leader = c.leader();
        assertTrue(leader != 0);
        for (long id : c.ids()) {
            assertTrue(c.host(id).appliedIndex() >= last, "node " + id + " re-applied the log after its snapshot");
        }
    }
}
