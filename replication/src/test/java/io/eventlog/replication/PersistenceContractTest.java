package io.eventlog.replication;

import static io.eventlog.replication.Harness.GROUP;
import static io.eventlog.replication.Harness.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Message.AppendRequest;
import io.eventlog.replication.Message.AppendResponse;
import io.eventlog.replication.Message.VoteRequest;
import io.eventlog.replication.Message.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core never promises what the driver has not reported durable. */
class PersistenceContractTest {

    @Test
    void aVoteIsGrantedOnlyAfterTheVoteIsDurable() {
        Harness voter = Harness.of(3, 1, 2, 3);

        voter.node.step(new VoteRequest(GROUP, 1, 3, 1, 0, 0, false, false));
        List<Message> before = voter.drain(false);
        assertTrue(only(before, VoteResponse.class).isEmpty(), "no grant before (term 1, vote 1) is durable");
        assertEquals(new HardState(1, 1), voter.unpersisted.get(0).hardState());

        List<Message> after = voter.persistAll();
        assertTrue(only(after, VoteResponse.class).get(0).granted());
    }

    @Test
    void entriesAreAcknowledgedOnlyAfterTheyAreDurable() {
        Harness follower = Harness.of(2, 1, 2, 3);

        follower.node.step(new AppendRequest(GROUP, 1, 2, 1, 0, 0, Harness.entries(1, 1, 1), 0));
        assertTrue(only(follower.drain(false), AppendResponse.class).isEmpty());

        AppendResponse ack = only(follower.persistAll(), AppendResponse.class).get(0);
        assertTrue(ack.success());
        assertEquals(3, ack.index());
    }

    @Test
    void anAckForEntriesSupersededBeforeTheyBecameDurableIsNeverSent() {
        Harness follower = Harness.of(2, 1, 2, 3);
        follower.node.step(new AppendRequest(GROUP, 1, 2, 1, 0, 0, Harness.entries(1, 1), 0));
        follower.drain(false);

        // a new leader of term 2 replaces index 2 before the first write finished
        follower.node.step(new AppendRequest(GROUP, 3, 2, 2, 1, 1, List.of(Entry.normal(2, 2, new byte[] {7})), 0));
        follower.drain(false);
        List<AppendResponse> acks = only(follower.persistAll(), AppendResponse.class);

        assertEquals(1, acks.size());
        assertEquals(3, acks.get(0).to(), "only the current leader hears an ack");
        assertEquals(2, acks.get(0).term());
    }

    @Test
    void aCandidateCountsItsOwnVoteOnlyOnceDurable() {
        Harness single = Harness.of(1, 1);
        single.node.campaign();
        single.drain(false);
        assertEquals(Role.CANDIDATE, single.node.role());

        single.persistAll();
        assertEquals(Role.LEADER, single.node.role());
    }

    @Test
    void aCrashBeforeTheWriteForgetsTheUnpersistedVoteAndEntries() {
        Harness voter = Harness.of(3, 1, 2, 3);
        voter.node.step(new VoteRequest(GROUP, 1, 3, 1, 0, 0, false, false));
        voter.drain(false);

        RaftNode restarted = new RaftNode(RaftConfig.builder(3, GROUP, new java.util.SplittableRandom(1)).build(),
                voter.storage);

        assertEquals(0, restarted.term());
        assertEquals(new HardState(0, 0), restarted.hardState());
    }

    @Test
    void aNodeRestartsWithItsDurableTermVoteAndLog() {
        Harness node = Harness.of(2, 1, 2, 3);
        node.step(new VoteRequest(GROUP, 1, 2, 4, 0, 0, false, false));
        node.step(new AppendRequest(GROUP, 1, 2, 4, 0, 0, Harness.entries(4, 4), 1));

        RaftNode restarted = new RaftNode(RaftConfig.builder(2, GROUP, new java.util.SplittableRandom(1)).build(),
                node.storage);

        assertEquals(new HardState(4, 1), restarted.hardState());
        assertEquals(2, restarted.lastIndex());
        assertEquals(4, restarted.termAt(2));
    }
}
