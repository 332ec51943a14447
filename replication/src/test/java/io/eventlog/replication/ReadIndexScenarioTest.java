package io.eventlog.replication;

import static io.eventlog.replication.RaftPaperTest.electedCluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.sim.Cluster;
import org.junit.jupiter.api.Test;

/** Linearizable reads with ReadIndex (thesis §6.4). */
class ReadIndexScenarioTest {

    @Test
    void aLeaderAnswersAReadWithItsCommitIndexOnceAMajorityConfirmsItStillLeads() {
        assertReadAnsweredWithLeadersCommitIndex(1);
    }

    @Test
    void aLeaderCutOffFromTheMajorityAnswersNoRead() {
        Cluster c = electedCluster(3, 1);
        c.isolate(1);

        c.readIndex(1);
        c.stabilize();

        assertTrue(c.host(1).readStates().isEmpty(), "it may no longer be the leader");
    }

    @Test
    void aFollowerForwardsTheReadToTheLeaderAndGetsTheLeadersCommitIndex() {
        assertReadAnsweredWithLeadersCommitIndex(3);
    }

    /** Given leader 1 with committed entries, a read on {@code reader} is answered with 1's commit index. */
    private static void assertReadAnsweredWithLeadersCommitIndex(long reader) {
        Cluster c = electedCluster(3, 1);
        long index = c.propose(1, 3, 10) + 2;
        c.stabilize();

        long ctx = c.readIndex(reader);
        c.stabilize();

        assertEquals(java.util.List.of(new ReadState(ctx, index)), c.host(reader).readStates());
    }

    @Test
    void aNewLeaderAnswersReadsOnlyAfterCommittingAnEntryOfItsTerm() {
        Harness leader = Harness.of(1, 1, 2, 3);
        leader.electWith(2);
        long term = leader.node.term();

        leader.node.readIndex(99);
        leader.step(new Message.HeartbeatResponse(Harness.GROUP, 2, 1, term, 0));
        assertTrue(leader.readStates.isEmpty(), "its commit index may still be behind the previous leader's");

        leader.step(new Message.AppendResponse(Harness.GROUP, 2, 1, term, true, 1, 0, 0));
        assertEquals(1, leader.node.commitIndex());
        leader.step(new Message.HeartbeatResponse(Harness.GROUP, 2, 1, term, 1));

        assertEquals(java.util.List.of(new ReadState(99, 1)), leader.readStates);
    }

    @Test
    void aNodeWithoutALeaderRefusesTheRead() {
        Cluster c = Cluster.of(3);
        assertEquals(-1, c.readIndex(2));
    }
}
