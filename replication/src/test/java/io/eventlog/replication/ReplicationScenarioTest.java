package io.eventlog.replication;

import static io.eventlog.replication.Harness.GROUP;
import static io.eventlog.replication.Harness.only;
import static io.eventlog.replication.Harness.storageWith;
import static io.eventlog.replication.Harness.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Message.AppendRequest;
import io.eventlog.replication.Message.AppendResponse;
import io.eventlog.replication.Message.Heartbeat;
import io.eventlog.replication.Message.HeartbeatResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipelining, batching, fast back-off, flow control and the leader's parallel write. */
class ReplicationScenarioTest {

    private static final long[] THREE = {1, 2, 3};

    @Test
    void aNewLeaderAppendsANoopOfItsTerm() {
        Harness leader = Harness.of(1, THREE);
        List<Message> out = leader.electWith(2);

        AppendRequest first = to(out, 2, AppendRequest.class).get(0);
        assertEquals(1, first.entries().size());
        assertEquals(EntryKind.NOOP, first.entries().get(0).kind());
        assertEquals(leader.node.term(), first.entries().get(0).term());
    }

    @Test
    void aBatchOfProposalsGetsConsecutiveIndexesAndTravelsInOneMessage() {
        Harness leader = streamingLeader(b -> b);
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(new byte[100]);
        }

        long first = leader.node.propose(batch);
        List<AppendRequest> sent = to(leader.drain(true), 2, AppendRequest.class);

        assertEquals(2, first, "after the no-op");
        assertEquals(1, sent.size());
        assertEquals(50, sent.get(0).entries().size());
        assertEquals(51, sent.get(0).entries().get(49).index());
    }

    @Test
    void aStreamingFollowerHasSeveralAppendsInFlightBoundedByCount() {
        Harness leader = streamingLeader(b -> b.maxInflightMessages(3));

        int sent = 0;
        for (int i = 0; i < 10; i++) {
            leader.node.propose(new byte[10]);
            sent += to(leader.drain(true), 2, AppendRequest.class).size();
        }
        assertEquals(3, sent, "three in flight, then it waits");

        List<AppendRequest> after = to(leader.step(new AppendResponse(GROUP, 2, 1, leader.node.term(), true, 3, 0, 0)),
                2, AppendRequest.class);
        assertEquals(11, after.get(after.size() - 1).entries().get(after.get(after.size() - 1).entries().size() - 1).index(),
                "freed slots carry the backlog, batched");
        assertTrue(after.size() <= 2);
    }

    @Test
    void aStreamingFollowerHasAppendsInFlightBoundedByBytes() {
        Harness leader = streamingLeader(b -> b.maxInflightBytes(1000).maxMessageBytes(400));

        int sent = 0;
        for (int i = 0; i < 10; i++) {
            leader.node.propose(new byte[300]);
            sent += to(leader.drain(true), 2, AppendRequest.class).size();
        }

        assertEquals(4, sent, "the window closes once the bytes in flight reach 1000 (4 x 324)");
    }

    @Test
    void aRejectedFollowerHintsTheConflictingTermAndItsFirstIndex() {
        Harness follower = new Harness(2, storageWith(THREE, 3, 1, 2, 2, 2, 2), b -> b);

        List<Message> out = follower.step(new AppendRequest(GROUP, 1, 2, 4, 5, 3, List.of(), 0));

        AppendResponse r = only(out, AppendResponse.class).get(0);
        assertFalse(r.success());
        assertEquals(5, r.index());
        assertEquals(2, r.hintTerm());
        assertEquals(2, r.hintIndex(), "term 2 starts at index 2 in the follower's log");
    }

    @Test
    void theLeaderSkipsAWholeConflictingTermWithTheHint() {
        // leader: 1@1 2@1 3@3 4@3 5@3; follower: 1@1 2@2 3@2 4@2 5@2 (5 entries of a term the leader never had)
        Harness leader = new Harness(1, storageWith(THREE, 3, 1, 1, 3, 3, 3), b -> b);
        leader.electWith(2);
        long term = leader.node.term();

        List<Message> out = leader.step(new AppendResponse(GROUP, 2, 1, term, false, 5, 2, 2));

        AppendRequest retry = to(out, 2, AppendRequest.class).get(0);
        assertEquals(1, retry.prevIndex(), "one round trip skips the whole of term 2");
    }

    @Test
    void theLeaderSendsEntriesBeforeItsOwnWriteButCountsItselfOnlyOnceDurable() {
        Harness leader = streamingLeader(b -> b);
        long index = leader.node.propose(new byte[10]);
        List<Message> out = leader.drain(false);
        assertEquals(1, to(out, 2, AppendRequest.class).size(), "sent in the same Ready as the write");
        assertEquals(1, leader.unpersisted.size());

        leader.node.step(new AppendResponse(GROUP, 2, 1, leader.node.term(), true, index, 0, 0));
        leader.node.step(new AppendResponse(GROUP, 3, 1, leader.node.term(), true, index, 0, 0));
        leader.drain(false);
        assertEquals(index, leader.node.commitIndex(), "both followers are a majority without the leader");
        assertTrue(leader.applied.stream().noneMatch(e -> e.index() == index), "but it applies only durable entries");

        leader.persistAll();
        assertEquals(index, leader.applied.get(leader.applied.size() - 1).index());
    }

    @Test
    void theLeaderIsCountedInTheQuorumOnlyAfterItsWriteIsDurable() {
        Harness leader = new Harness(1, MemoryStorage.bootstrap(1, 2, 3, 4, 5), b -> b);
        leader.electWith(2, 3);
        for (long f = 2; f <= 5; f++) {
            leader.step(new AppendResponse(GROUP, f, 1, leader.node.term(), true, 1, 0, 0));
        }
        long index = leader.node.propose(new byte[10]);
        leader.drain(false);

        leader.node.step(new AppendResponse(GROUP, 2, 1, leader.node.term(), true, index, 0, 0));
        leader.node.step(new AppendResponse(GROUP, 3, 1, leader.node.term(), true, index, 0, 0));
        leader.drain(false);
        assertTrue(leader.node.commitIndex() < index, "two followers are not a majority of five without the leader");

        leader.persistAll();
        assertEquals(index, leader.node.commitIndex());
        assertEquals(index, leader.applied.get(leader.applied.size() - 1).index());
    }

    @Test
    void aFollowerThatLostItsPipelineIsProbedOneMessageAtATimeThenStreamedAgain() {
        Harness leader = streamingLeader(b -> b);
        long term = leader.node.term();
        leader.node.propose(new byte[10]); // index 2, lost on its way
        leader.drain(true);
        leader.node.propose(new byte[10]); // index 3
        AppendRequest third = to(leader.drain(true), 2, AppendRequest.class).get(0);
        assertEquals(2, third.prevIndex());

        // the follower holds only 1, so it rejects prevIndex 2: the leader falls back to probing
        List<Message> out = leader.step(new AppendResponse(GROUP, 2, 1, term, false, 2, 2, 0));
        AppendRequest probe = to(out, 2, AppendRequest.class).get(0);
        assertEquals(1, probe.prevIndex());
        leader.node.propose(new byte[10]);
        assertTrue(to(leader.drain(true), 2, AppendRequest.class).isEmpty(), "one probe at a time");

        out = leader.step(new AppendResponse(GROUP, 2, 1, term, true, 3, 0, 0));
        List<AppendRequest> resumed = to(out, 2, AppendRequest.class);
        assertEquals(3, resumed.get(0).prevIndex(), "streaming again from its match");
    }

    @Test
    void heartbeatsCarryTheCommitIndexOnlyUpToWhatTheFollowerMatches() {
        Harness leader = Harness.of(1, THREE);
        leader.electWith(2, 3);
        leader.step(new AppendResponse(GROUP, 2, 1, leader.node.term(), true, 1, 0, 0));
        assertEquals(1, leader.node.commitIndex());

        for (int i = 0; i < 1; i++) {
            leader.node.tick();
        }
        List<Message> out = leader.drain(true);

        assertEquals(1, to(out, 2, Heartbeat.class).get(0).commit());
        assertEquals(0, to(out, 3, Heartbeat.class).get(0).commit(), "3 has not acknowledged index 1");
        assertTrue(only(out, HeartbeatResponse.class).isEmpty());
    }

    @Test
    void aLeaderRefusesProposalsBeyondItsUncommittedBytes() {
        Harness leader = streamingLeader(b -> b.maxUncommittedBytes(1000));
        leader.node.propose(new byte[600]);
        leader.node.propose(new byte[300]);

        ProposalRejectedException e = assertThrows(ProposalRejectedException.class,
                () -> leader.node.propose(new byte[200]));
        assertEquals(ProposalRejectedException.Reason.TOO_MANY_UNCOMMITTED_BYTES, e.reason());
    }

    @Test
    void aFollowerRefusesProposalsAndNamesTheLeader() {
        Harness follower = Harness.of(2, THREE);
        follower.step(new Heartbeat(GROUP, 1, 2, 1, 0, 0));

        ProposalRejectedException e = assertThrows(ProposalRejectedException.class,
                () -> follower.node.propose(new byte[1]));
        assertEquals(ProposalRejectedException.Reason.NOT_LEADER, e.reason());
        assertEquals(1, e.leaderHint());
    }

    /** Leader 1 of {1,2,3} whose followers acknowledged the no-op, so both stream (REPLICATE). */
    private static Harness streamingLeader(java.util.function.UnaryOperator<RaftConfig.Builder> configure) {
        Harness leader = new Harness(1, MemoryStorage.bootstrap(THREE), configure);
        leader.electWith(2);
        leader.step(new AppendResponse(GROUP, 2, 1, leader.node.term(), true, 1, 0, 0));
        leader.step(new AppendResponse(GROUP, 3, 1, leader.node.term(), true, 1, 0, 0));
        assertEquals(1, leader.node.commitIndex());
        return leader;
    }
}
