package io.eventlog.replication;

import static io.eventlog.replication.RaftPaperTest.electedCluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.sim.Cluster;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pre-vote, check-quorum, leader transfer and a partitioned old leader, as scenarios. */
class ElectionScenarioTest {

    @Test
    void givenPreVote_whenAFollowerIsCutOff_thenItNeitherRaisesItsTermNorDisruptsTheLeaderOnReturn() {
        Cluster c = electedCluster(3, 1);
        long term = c.node(1).term();

        c.isolate(3);
        c.tick(200);
        assertEquals(term, c.node(3).term(), "pre-votes fail, so the term stays");

        c.heal();
        c.tick(50);
        assertEquals(1, c.leader());
        assertEquals(term, c.node(1).term());
    }

    @Test
    void givenCheckQuorum_whenTheLeaderIsCutOffFromTheMajority_thenItStepsDownAndTheMajorityElectsAnother() {
        Cluster c = electedCluster(3, 1);

        c.isolate(1);
        c.tick(25);

        assertEquals(Role.FOLLOWER, c.node(1).role(), "no quorum heard within an election timeout");
        long leader = c.leader();
        assertTrue(leader == 2 || leader == 3, "the majority elected " + leader);
    }

    @Test
    void givenCheckQuorum_whenAVoterStillHearsItsLeader_thenItIgnoresAnotherCandidate() {
        Cluster c = electedCluster(3, 1);
        long term = c.node(1).term();
        c.tick(3);

        c.on(2, n -> n.step(new Message.VoteRequest(Cluster.GROUP, 3, 2, term + 1, 100, term, false, false)));

        assertEquals(term, c.node(2).term(), "inside its lease the voter does not even adopt the higher term");
        assertEquals(1, c.node(2).leader());
    }

    @Test
    void givenALaggingTarget_whenLeadershipIsTransferred_thenTheTargetCatchesUpFirstAndThenLeads() {
        Cluster c = electedCluster(3, 1);
        c.isolate(3);
        long last = c.propose(1, 20, 10) + 19;
        c.stabilize();
        c.heal();

        c.on(1, n -> n.transferLeadership(3));
        ProposalRejectedException refused = assertThrows(ProposalRejectedException.class, () -> c.propose(1));
        assertEquals(ProposalRejectedException.Reason.TRANSFER_IN_PROGRESS, refused.reason());
        c.stabilize();

        assertEquals(3, c.leader());
        assertTrue(c.node(3).commitIndex() > last, "the new leader holds everything and committed its no-op");
        assertEquals(Role.FOLLOWER, c.node(1).role());
    }

    @Test
    void givenAnUnreachableTarget_whenLeadershipIsTransferred_thenTheTransferIsAbandonedAfterAnElectionTimeout() {
        Cluster c = electedCluster(3, 1);
        c.isolate(3);
        c.propose(1);
        c.on(1, n -> n.transferLeadership(3));
        assertEquals(3, c.node(1).transferee());

        c.cut(3, 1);
        c.tick(12);

        assertEquals(0, c.node(1).transferee());
        assertEquals(1, c.leader());
        c.propose(1); // accepted again
    }

    @Test
    void givenAnOldLeaderCutOffWithUncommittedEntries_whenItRejoins_thenItFollowsAndItsEntriesAreReplaced() {
        Cluster c = electedCluster(3, 1);
        c.isolate(1);
        long orphan = c.propose(1, 3, 10);
        c.tick(25);
        long newLeader = c.leader();
        assertTrue(newLeader == 2 || newLeader == 3, "the majority elected " + newLeader);
        long kept = c.propose(newLeader, 2, 10);
        c.stabilize();

        c.heal();
        c.tick(15);

        assertEquals(Role.FOLLOWER, c.node(1).role());
        assertEquals(newLeader, c.node(1).leader());
        assertEquals(c.node(newLeader).termAt(orphan), c.node(1).termAt(orphan), "the orphaned entry was superseded");
        assertEquals(c.node(newLeader).commitIndex(), c.node(1).commitIndex());
        assertTrue(c.node(1).commitIndex() >= kept + 1);
        assertEquals(c.host(newLeader).applied(), c.host(1).applied());
        assertEquals(Set.of(1L, 2L, 3L), c.config(1).voters());
    }
}
