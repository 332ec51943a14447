package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.projection.Balances;
import io.eventlog.server.projection.FoldedState;
import io.eventlog.server.projection.Ledger;
import io.eventlog.server.projection.ProjectionHandle;
import io.eventlog.server.projection.Projections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projections on cluster members fold the committed entries each member applies: a leader's and a
 * follower's give the same state, and a member restarted on its data resumes its projection from the
 * projection's checkpoint, folding only the entries after it (those it catches up on included).
 */
class ProjectionOnClusterMemberTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final CheckpointConfig EVERY_50 = CheckpointConfig.defaults().withEveryEntries(50);

    @TempDir
    Path root;

    @Test
    void membersFoldTheSameStateAndARestartedMemberResumesFromItsCheckpoint() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            int follower = cluster.aFollower(leader);
            Random random = new Random(8);
            long checkpointed;
            try (ProjectionHandle<Balances> onLeader = Projections.start(cluster.node(leader), Balances.OF_ACCOUNTS, EVERY_50);
                 ProjectionHandle<Balances> onFollower = Projections.start(cluster.node(follower), Balances.OF_ACCOUNTS,
                         EVERY_50)) {
                AppendResult last = Ledger.append(cluster.node(follower), random, 100);

                FoldedState<Balances> leaders = onLeader.awaitOffset(last.offset()).block(WAIT);
                FoldedState<Balances> followers = onFollower.awaitOffset(last.offset()).block(WAIT);

                assertEquals(fullFold(cluster.node(follower), last.offset()), followers.state());
                assertEquals(leaders, followers);
                assertEquals(followers.state(), fullFold(cluster.node(leader), last.offset()));
            }
            checkpointed = cluster.node(follower).lastOffset();
            cluster.stop(follower);

            AppendResult more = Ledger.append(cluster.node(leader), random, 60); // the restarted member catches up on these
            EventLogNode restarted = cluster.start(follower);
            try (ProjectionHandle<Balances> resumed = Projections.start(restarted, Balances.OF_ACCOUNTS, EVERY_50)) {
                FoldedState<Balances> folded = resumed.awaitOffset(more.offset()).block(WAIT);

                List<Entry> log = Ledger.readAll(restarted);
                long from = resumed.startedFrom().offset();
                assertTrue(from > 0 && from <= checkpointed, "resumed from the checkpoint at close, at " + from);
                assertEquals(log.stream().filter(e -> e.offset() > from && e.offset() <= folded.offset()
                        && Ledger.ACCOUNTS.includes(e)).count(), resumed.foldedSinceStart());
                assertEquals(fullFold(restarted, folded.offset()), folded.state());
            }
        }
    }

    @Test
    void aFollowersProjectionFollowsTheLogThroughTheLossOfTheLeader() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            int leader = cluster.awaitLeader();
            int follower = cluster.aFollower(leader);
            Random random = new Random(9);
            try (ProjectionHandle<Balances> balances = Projections.start(cluster.node(follower), Balances.OF_ACCOUNTS,
                    CheckpointConfig.defaults().withEveryEntries(50))) {
                balances.awaitOffset(Ledger.append(cluster.node(follower), random, 30).offset()).block(WAIT);

                cluster.stop(leader);
                AppendResult after = Ledger.append(cluster.node(follower), random, 30); // waits for the new leader
                FoldedState<Balances> folded = balances.awaitOffset(after.offset()).block(WAIT);

                assertEquals(fullFold(cluster.node(follower), after.offset()), folded.state());
                assertNull(balances.failure());
            }
        }
    }

    /** One fold over the member's log up to {@code offset}. */
    private static Balances fullFold(EventLogNode node, long offset) {
        return Balances.fullFold(Ledger.readAll(node).stream().filter(e -> e.offset() <= offset).toList(), Ledger.ACCOUNTS);
    }
}
