package io.eventlog.replication;

import static io.eventlog.replication.RaftPaperTest.electedCluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.ProposalRejectedException.Reason;
import io.eventlog.replication.sim.Cluster;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Single-server membership changes, learners, and removed nodes. */
class MembershipScenarioTest {

    @Test
    void givenANewNode_whenAddedAsLearner_thenItReceivesTheLogWithoutVotingAndIsPromotedOnceCaughtUp() {
        Cluster c = electedCluster(3, 1);
        c.propose(1, 10, 50);
        c.stabilize();
        c.addHost(4, MemoryStorage.joining());
        c.start(4);

        c.on(1, n -> n.proposeConfChange(ConfChange.addLearner(4)));
        c.tick(5);

        assertEquals(Set.of(4L), c.config(1).learners());
        assertEquals(c.node(1).commitIndex(), c.node(4).commitIndex(), "the learner has the log");
        assertEquals(c.host(1).applied(), c.host(4).applied());
        c.isolate(4);
        c.tick(100);
        assertEquals(Role.FOLLOWER, c.node(4).role(), "a learner never campaigns");
        c.heal();
        c.tick(3);

        c.on(1, n -> n.proposeConfChange(ConfChange.promote(4)));
        c.tick(3);
        for (long id = 1; id <= 4; id++) {
            assertEquals(Set.of(1L, 2L, 3L, 4L), c.config(id).voters(), "node " + id);
        }
    }

    @Test
    void aLearnerThatHasNotCaughtUpIsNotPromoted() {
        Cluster c = electedCluster(3, 1);
        c.addHost(4, MemoryStorage.joining());
        c.start(4);
        c.isolate(4);
        c.on(1, n -> n.proposeConfChange(ConfChange.addLearner(4)));
        c.stabilize();

        ProposalRejectedException e = assertThrows(ProposalRejectedException.class,
                () -> c.on(1, n -> n.proposeConfChange(ConfChange.promote(4))));
        assertEquals(Reason.INVALID_CONF_CHANGE, e.reason());
    }

    @Test
    void onlyOneMembershipChangeIsInFlightAtATime() {
        Cluster c = electedCluster(3, 1);
        c.isolate(2);
        c.isolate(3);
        c.on(1, n -> n.proposeConfChange(ConfChange.addLearner(4)));

        ProposalRejectedException e = assertThrows(ProposalRejectedException.class,
                () -> c.on(1, n -> n.proposeConfChange(ConfChange.addLearner(5))));
        assertEquals(Reason.CONF_CHANGE_PENDING, e.reason());
    }

    @Test
    void givenFiveVoters_whenOneIsRemoved_thenCommitsNeedAMajorityOfFour() {
        Cluster c = electedCluster(5, 1);
        c.on(1, n -> n.proposeConfChange(ConfChange.remove(5)));
        c.stabilize();
        assertEquals(Set.of(1L, 2L, 3L, 4L), c.config(1).voters());

        c.isolate(4);
        c.isolate(5);
        long index = c.propose(1);
        c.stabilize();
        assertEquals(index, c.node(1).commitIndex(), "1, 2, 3 are a majority of four");

        c.isolate(3);
        long next = c.propose(1);
        c.stabilize();
        assertTrue(c.node(1).commitIndex() < next, "1 and 2 are not");
    }

    @Test
    void givenARemovedNodeThatNeverLearnedOfItsRemoval_whenItComesBack_thenItCannotDisruptTheCluster() {
        Cluster c = electedCluster(3, 1);
        c.addHost(4, MemoryStorage.joining());
        c.start(4);
        c.on(1, n -> n.proposeConfChange(ConfChange.addVoter(4)));
        c.tick(3);
        assertEquals(Set.of(1L, 2L, 3L, 4L), c.config(4).voters());

        c.isolate(4);
        c.on(1, n -> n.proposeConfChange(ConfChange.remove(4)));
        c.tick(3);
        assertFalse(c.config(1).contains(4));
        assertTrue(c.config(4).isVoter(4), "node 4 still believes it is a voter");
        long term = c.node(1).term();

        c.tick(100); // node 4 times out again and again
        c.heal();
        c.tick(100);

        assertEquals(1, c.leader());
        assertEquals(term, c.node(1).term(), "the leader was never deposed");
        long index = c.propose(1);
        c.tick(2);
        assertEquals(index, c.node(2).commitIndex());
    }

    @Test
    void aLeaderThatRemovesItselfStepsDownOnceTheChangeCommits() {
        Cluster c = electedCluster(3, 1);

        c.on(1, n -> n.proposeConfChange(ConfChange.remove(1)));
        c.stabilize();

        assertEquals(Role.FOLLOWER, c.node(1).role());
        assertEquals(Set.of(2L, 3L), c.config(2).voters());
        c.tick(40);
        long leader = c.leader();
        assertTrue(leader == 2 || leader == 3, "the remaining voters elect a leader: " + leader);
        c.tick(100);
        assertEquals(Role.FOLLOWER, c.node(1).role(), "the removed node never campaigns");
    }
}
