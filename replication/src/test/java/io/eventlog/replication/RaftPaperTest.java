package io.eventlog.replication;

import static io.eventlog.replication.Harness.GROUP;
import static io.eventlog.replication.Harness.only;
import static io.eventlog.replication.Harness.storageWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Message.AppendRequest;
import io.eventlog.replication.Message.AppendResponse;
import io.eventlog.replication.Message.Heartbeat;
import io.eventlog.replication.Message.VoteRequest;
import io.eventlog.replication.Message.VoteResponse;
import io.eventlog.replication.sim.Cluster;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One small test per claim of §5 of the Raft paper (Ongaro and Ousterhout, 2014). */
class RaftPaperTest {

    private static final long[] FIVE = {1, 2, 3, 4, 5};
    private static final long[] THREE = {1, 2, 3};

    // ---- §5.1 Raft basics

    @Test
    void s5_1_aNodeThatSeesAHigherTermAdoptsItAndBecomesFollower() {
        Harness leader = Harness.of(1, THREE);
        leader.electWith(2);
        long term = leader.node.term();

        leader.step(new Heartbeat(GROUP, 2, 1, term + 3, 0, 0));

        assertEquals(Role.FOLLOWER, leader.node.role());
        assertEquals(term + 3, leader.node.term());
        assertEquals(2, leader.node.leader());
    }

    @Test
    void s5_1_aRequestFromAStaleTermIsRejectedWithTheCurrentTerm() {
        Harness follower = new Harness(2, storageWith(THREE, 5, 1, 1), b -> b);

        List<Message> out = follower.step(new AppendRequest(GROUP, 1, 2, 3, 2, 1, Harness.entries(1, 1, 3).subList(2, 3), 0));

        AppendResponse r = only(out, AppendResponse.class).get(0);
        assertFalse(r.success());
        assertEquals(5, r.term());
        assertEquals(2, follower.node.lastIndex(), "the stale leader's entry is not appended");
    }

    // ---- §5.2 Leader election

    @Test
    void s5_2_aFollowerThatHearsNoLeaderForAnElectionTimeoutStartsAnElection() {
        Harness follower = Harness.of(1, THREE);
        for (int i = 0; i < 2 * 10; i++) {
            follower.node.tick();
        }
        List<VoteRequest> requests = only(follower.drain(true), VoteRequest.class);

        assertEquals(Role.CANDIDATE, follower.node.role());
        assertEquals(1, follower.node.term());
        assertEquals(Set.of(2L, 3L), Set.of(requests.get(0).to(), requests.get(1).to()));
    }

    @Test
    void s5_2_aCandidateWithVotesFromAMajorityBecomesLeader() {
        Cluster c = Cluster.of(5);
        c.on(3, RaftNode::campaign);
        c.stabilize();

        assertEquals(3, c.leader());
        for (long id : c.ids()) {
            assertEquals(3, c.node(id).leader(), "node " + id + " follows the new leader");
        }
    }

    @Test
    void s5_2_eachNodeVotesForAtMostOneCandidatePerTerm() {
        Harness voter = Harness.of(3, THREE);

        List<Message> first = voter.step(new VoteRequest(GROUP, 1, 3, 1, 0, 0, false, false));
        List<Message> second = voter.step(new VoteRequest(GROUP, 2, 3, 1, 0, 0, false, false));

        assertTrue(only(first, VoteResponse.class).get(0).granted());
        assertFalse(only(second, VoteResponse.class).get(0).granted());
        assertEquals(new HardState(1, 1), voter.storage.hardState());
    }

    @Test
    void s5_2_aCandidateThatHearsFromALeaderOfItsTermBecomesFollower() {
        Harness candidate = Harness.of(1, THREE);
        candidate.node.campaign();
        candidate.drain(true);
        assertEquals(Role.CANDIDATE, candidate.node.role());

        candidate.step(new AppendRequest(GROUP, 2, 1, candidate.node.term(), 0, 0, List.of(), 0));

        assertEquals(Role.FOLLOWER, candidate.node.role());
        assertEquals(2, candidate.node.leader());
    }

    @Test
    void s5_2_randomizedElectionTimeoutsSpreadCandidatesOut() {
        Set<Integer> firstCampaignTicks = new HashSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            RaftNode n = new RaftNode(RaftConfig.builder(1, GROUP, new java.util.SplittableRandom(seed)).preVote(false)
                    .build(), MemoryStorage.bootstrap(THREE));
            int tick = 0;
            while (n.role() == Role.FOLLOWER) {
                n.tick();
                tick++;
            }
            assertTrue(tick >= 10 && tick < 20, "timeout in [electionTicks, 2 * electionTicks): " + tick);
            firstCampaignTicks.add(tick);
        }
        assertTrue(firstCampaignTicks.size() >= 5, "timeouts differ: " + firstCampaignTicks);
    }

    @Test
    void s5_2_nodesStartedTogetherElectExactlyOneLeader() {
        Cluster c = Cluster.of(5);
        c.tick(60);

        long leaders = c.ids().stream().filter(id -> c.node(id).role() == Role.LEADER).count();
        assertEquals(1, leaders);
    }

    // ---- §5.3 Log replication

    @Test
    void s5_3_anEntryCommitsOnceAMajorityStoresIt() {
        Cluster c = electedCluster(3, 1);
        c.isolate(3);

        long index = c.propose(1);
        c.stabilize();

        assertEquals(index, c.node(1).commitIndex());
        assertEquals(index, c.node(2).commitIndex());
        assertTrue(c.node(3).lastIndex() < index, "the isolated node did not get it");
    }

    @Test
    void s5_3_aFollowerRefusesEntriesWhosePredecessorItDoesNotHold() {
        Harness follower = new Harness(2, storageWith(THREE, 2, 1, 1), b -> b);

        List<Message> out = follower.step(new AppendRequest(GROUP, 1, 2, 2, 2, 2, List.of(Entry.normal(3, 2, new byte[1])), 0));

        AppendResponse r = only(out, AppendResponse.class).get(0);
        assertFalse(r.success());
        assertEquals(2, follower.node.lastIndex());
    }

    @Test
    void s5_3_conflictingEntriesOnAFollowerAreReplacedByTheLeaders() {
        Harness follower = new Harness(2, storageWith(THREE, 3, 1, 2, 2), b -> b);

        List<Entry> leaderEntries = List.of(Entry.normal(2, 3, new byte[] {9}), Entry.normal(3, 3, new byte[] {9}));
        List<Message> out = follower.step(new AppendRequest(GROUP, 1, 2, 3, 1, 1, leaderEntries, 0));

        assertTrue(only(out, AppendResponse.class).get(0).success());
        assertEquals(3, follower.storage.term(2));
        assertEquals(3, follower.storage.term(3));
    }

    @Test
    void s5_3_everyNodeAppliesTheCommittedEntriesInIndexOrder() {
        Cluster c = electedCluster(3, 1);
        for (int i = 0; i < 10; i++) {
            c.propose(1, 3, 20);
        }
        c.tick(3);

        List<Entry> reference = c.host(1).applied();
        assertEquals(31, reference.size(), "the no-op and 30 proposals");
        for (long id : c.ids()) {
            assertEquals(reference, c.host(id).applied(), "node " + id);
        }
    }

    // ---- §5.4.1 Election restriction

    @Test
    void s5_4_1_aVoterRefusesACandidateWhoseLogIsLessUpToDate() {
        Harness voter = new Harness(3, storageWith(THREE, 3, 1, 3), b -> b);

        List<Message> olderTerm = voter.step(new VoteRequest(GROUP, 1, 3, 4, 5, 2, false, false));
        List<Message> shorter = voter.step(new VoteRequest(GROUP, 2, 3, 4, 1, 3, false, false));
        List<Message> asGood = voter.step(new VoteRequest(GROUP, 2, 3, 4, 2, 3, false, false));

        assertFalse(only(olderTerm, VoteResponse.class).get(0).granted(), "last term 2 < 3");
        assertFalse(only(shorter, VoteResponse.class).get(0).granted(), "same last term, shorter log");
        assertTrue(only(asGood, VoteResponse.class).get(0).granted());
    }

    // ---- §5.4.2 Committing entries from previous terms (Figure 8)

    @Test
    void s5_4_2_figure8_aLeaderNeverCommitsAnEarlierTermsEntryByCountingReplicas() {
        // (a)-(b): S1 led term 2 and wrote index 2 there, reaching S2 only; S5 led term 3 and wrote
        // its own index 2. (c): S1 is elected in term 4 and gets index 2 onto S3: a majority holds it.
        Harness s1 = new Harness(1, storageWith(FIVE, 3, 1, 2), b -> b);
        s1.electWith(2, 3);
        assertEquals(4, s1.node.term());
        long noop = s1.node.lastIndex();
        assertEquals(3, noop, "the new leader appended a no-op of term 4");

        s1.step(new AppendResponse(GROUP, 2, 1, 4, true, 2, 0, 0));
        s1.step(new AppendResponse(GROUP, 3, 1, 4, true, 2, 0, 0));

        assertEquals(0, s1.node.commitIndex(), "index 2 (term 2) is on S1, S2, S3 but must not count as committed");

        // (d) shows why: S5 (last term 3) can still win votes from S2, S3, S4 and overwrite index 2.
        Harness s3 = new Harness(3, storageWith(FIVE, 4, 1, 2), b -> b);
        assertTrue(only(s3.step(new VoteRequest(GROUP, 5, 3, 5, 2, 3, false, false)), VoteResponse.class).get(0).granted());

        // (e): once an entry of S1's own term is on a majority, it commits, and index 2 with it.
        s1.step(new AppendResponse(GROUP, 2, 1, 4, true, 3, 0, 0));
        s1.step(new AppendResponse(GROUP, 3, 1, 4, true, 3, 0, 0));
        assertEquals(3, s1.node.commitIndex());
    }

    // ---- §5.4.3 Safety argument: leader completeness

    @Test
    void s5_4_3_aNewLeaderHoldsEveryCommittedEntry() {
        Cluster c = electedCluster(3, 1);
        c.isolate(3);
        long last = c.propose(1, 5, 10) + 4;
        c.stabilize();
        assertEquals(last, c.node(1).commitIndex());

        c.heal();
        c.isolate(1);
        c.on(3, RaftNode::campaign); // behind: cannot win
        c.stabilize();
        assertNotEquals(3, c.leader());
        c.on(2, RaftNode::campaign);
        c.stabilize();

        assertEquals(2, c.leader());
        for (long i = 1; i <= last; i++) {
            assertEquals(c.node(1).termAt(i), c.node(2).termAt(i), "entry " + i);
        }
    }

    // ---- §5.5 Follower and candidate crashes

    @Test
    void s5_5_aRepeatedAppendRequestChangesNothing() {
        Harness follower = Harness.of(2, THREE);
        AppendRequest req = new AppendRequest(GROUP, 1, 2, 1, 0, 0, Harness.entries(1, 1), 1);

        List<Message> first = follower.step(req);
        List<Message> again = follower.step(req);

        assertEquals(only(first, AppendResponse.class), only(again, AppendResponse.class));
        assertEquals(2, follower.storage.lastIndex());
        assertEquals(1, follower.applied.size(), "entry 1 applied once");
    }

    @Test
    void s5_5_aCrashedFollowerCatchesUpAfterItRestarts() {
        Cluster c = electedCluster(3, 1);
        c.crash(3);
        long last = c.propose(1, 10, 10) + 9;
        c.stabilize();

        c.start(3);
        c.tick(5);

        assertEquals(last, c.node(3).commitIndex());
        assertEquals(c.host(1).applied(), c.host(3).applied());
    }

    // ---- §5.6 Timing and availability

    @Test
    void s5_6_heartbeatsKeepAStableLeaderInPlace() {
        Cluster c = electedCluster(3, 1);
        long term = c.node(1).term();

        c.tick(500);

        assertEquals(1, c.leader());
        assertEquals(term, c.node(2).term());
        assertEquals(term, c.node(3).term());
    }

    @Test
    void everyMessageNamesItsGroupAndAForeignGroupIsRefused() {
        Harness n = Harness.of(1, THREE);
        for (Message m : n.electWith(2)) {
            assertEquals(GROUP, m.group());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> n.node.step(new Heartbeat(GROUP + 1, 2, 1, 9, 0, 0)));
    }

    static Cluster electedCluster(int n, long leader) {
        Cluster c = Cluster.of(n);
        c.on(leader, RaftNode::campaign);
        c.stabilize();
        assertEquals(leader, c.leader());
        return c;
    }
}
