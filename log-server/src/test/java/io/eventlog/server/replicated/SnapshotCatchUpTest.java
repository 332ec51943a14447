package io.eventlog.server.replicated;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.SnapshotMeta;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.raftlog.ChronicleRaftStorage;
import io.eventlog.server.retention.RetentionConfig;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.streams.IdempotencyLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raft snapshots between embedded members: members write checkpoints; retention, deleting the log's
 * old files, compacts the Raft log to the newest one; a member that needs entries the leader no
 * longer holds receives that checkpoint as a snapshot, then the log after it, and serves exactly what
 * the others serve from there on.
 */
class SnapshotCatchUpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IdempotencyLimits WINDOW = IdempotencyLimits.defaults();

    /** One queue file per second; retention deletes every file before the newest checkpoint's. */
    private static final UnaryOperator<NodeConfig> COMPACTING = config -> config
            .withRollCycle(TestRollCycles.TEST_SECONDLY)
            .withRetention(RetentionConfig.NONE.withMaxBytes(1).withCheckInterval(Duration.ofMillis(50)));

    @TempDir
    Path root;

    @Test
    void aFollowerStoppedWhileTheOthersCompactCatchesUpBySnapshotAndServesTheSameEntries() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(root, 3, 0, COMPACTING)) {
            int lagging = cluster.aFollower(cluster.awaitLeader());
            List<AppendResult> early = write(cluster, 0, 30);
            cluster.stop(lagging);
            write(cluster, 30, 200);
            Set<Long> snapshots = compactEveryRunningMember(cluster, 200);
            List<AppendResult> after = write(cluster, 201, 230);

            cluster.start(lagging);

            EventLogNode caughtUp = awaitCaughtUp(cluster, lagging, after.get(after.size() - 1).offset());
            assertTrue(snapshots.contains(caughtUp.firstOffsetHeld() - 1), "it holds the log after a snapshot only: "
                    + caughtUp.firstOffsetHeld() + ", snapshots " + snapshots);
            assertServesTheSameAsTheOthers(cluster, lagging);
            assertExpired(() -> caughtUp.read(ReadRequest.log(1, 10)).collectList().block(WAIT));
            assertExpired(() -> caughtUp.read(ReadRequest.stream("s1", 0, 10)).collectList().block(WAIT));
            assertDecidesLikeTheOthers(cluster, lagging, early.get(0), "k0", after.get(after.size() - 1));
        }
    }

    @Test
    void aMemberThatLostItsDataDirectoryRejoinsBySnapshotAndRestartsFromIt() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(root, 3, 0, COMPACTING)) {
            int wiped = cluster.aFollower(cluster.awaitLeader());
            List<AppendResult> early = write(cluster, 0, 120);
            compactEveryRunningMember(cluster, 120);
            List<AppendResult> after = write(cluster, 121, 140);
            cluster.stop(wiped);
            wipe(cluster.dataDir(wiped));

            cluster.start(wiped);
            long firstHeld = awaitCaughtUp(cluster, wiped, after.get(after.size() - 1).offset()).firstOffsetHeld();
            assertTrue(firstHeld > 1);
            assertServesTheSameAsTheOthers(cluster, wiped);

            // Restarted, it starts from the snapshot it keeps (and its own, taken at close).
            cluster.stop(wiped);
            List<AppendResult> more = write(cluster, 140, 150);
            cluster.start(wiped);
            EventLogNode restarted = awaitCaughtUp(cluster, wiped, more.get(more.size() - 1).offset());
            assertEquals(firstHeld, restarted.firstOffsetHeld());
            assertServesTheSameAsTheOthers(cluster, wiped);
            assertDecidesLikeTheOthers(cluster, wiped, early.get(5), "k5", more.get(more.size() - 1));
        }
    }

    @Test
    void aMemberStoppedWhileRetentionRunsOnTheOthersCatchesUpBySnapshot() throws InterruptedException {
        // Members checkpoint by themselves here, every 40 entries.
        try (InProcessCluster cluster = new InProcessCluster(root, 3, 0, config -> COMPACTING.apply(config)
                .withCheckpoints(config.checkpoints().withEveryEntries(40)))) {
            int lagging = cluster.aFollower(cluster.awaitLeader());
            List<AppendResult> early = write(cluster, 0, 30);
            cluster.stop(lagging);
            for (int second = 1; second <= 3; second++) {
                sleepIntoTheNextSecond();
                write(cluster, 30 * second, 30 * second + 30);
            }
            for (int id = 1; id <= 3; id++) {
                EventLogNode node = cluster.node(id);
                if (node != null) {
                    InProcessCluster.await("retention on node " + id, () -> node.firstOffsetHeld() > 1);
                }
            }
            List<AppendResult> after = write(cluster, 120, 130);

            cluster.start(lagging);

            EventLogNode caughtUp = awaitCaughtUp(cluster, lagging, after.get(after.size() - 1).offset());
            assertTrue(caughtUp.firstOffsetHeld() > early.get(early.size() - 1).offset(), "it got a snapshot");
            assertServesTheSameAsTheOthers(cluster, lagging);
            assertDecidesLikeTheOthers(cluster, lagging, after.get(0), "k120", after.get(after.size() - 1));
        }
    }

    @Test
    void aMemberThatPersistedASnapshotButNeverAppliedItStartsFromIt() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(root, 3, 0, COMPACTING)) {
            int leader = cluster.awaitLeader();
            int crashed = cluster.aFollower(leader);
            int other = otherThan(leader, crashed);
            List<AppendResult> early = write(cluster, 0, 20);
            cluster.stop(crashed);
            write(cluster, 20, 99);
            compactEveryRunningMember(cluster, 99);
            cluster.stop(other);
            byte[] snapshot;
            SnapshotMeta meta;
            try (OpenedRaftLog log = OpenedRaftLog.of(cluster.dataDir(other))) {
                meta = log.storage.snapshotMeta();
                snapshot = SnapshotImage.localize(SnapshotImage.decode(log.storage.snapshotData(), meta, WINDOW), meta);
            }
            // What the crashed member wrote when it received the snapshot; it stopped before applying it.
            try (OpenedRaftLog log = OpenedRaftLog.of(cluster.dataDir(crashed))) {
                log.storage.installSnapshot(meta, snapshot);
            }

            cluster.start(crashed);
            assertEquals(meta.index() + 1, cluster.node(crashed).firstOffsetHeld(), "it starts from the snapshot");
            assertEquals(meta.index(), cluster.node(crashed).lastOffset());
            cluster.start(other);
            List<AppendResult> after = write(cluster, 100, 110);
            awaitCaughtUp(cluster, crashed, after.get(after.size() - 1).offset());
            assertServesTheSameAsTheOthers(cluster, crashed);
            assertDecidesLikeTheOthers(cluster, crashed, early.get(1), "k1", after.get(after.size() - 1));
        }
    }

    @Test
    void withoutRetentionMembersRestartedAfterACheckpointServeTheirWholeLogAsBefore() {
        try (InProcessCluster cluster = new InProcessCluster(root, 3)) {
            List<AppendResult> early = write(cluster, 0, 80);
            checkpointEveryRunningMember(cluster);
            List<AppendResult> after = write(cluster, 80, 100);
            long last = after.get(after.size() - 1).offset();
            List<Entry> before = readFrom(cluster.node(cluster.awaitLeader()), 1, last);
            for (int id = 1; id <= 3; id++) {
                cluster.stop(id);
            }
            for (int id = 1; id <= 3; id++) {
                cluster.start(id);
            }
            for (int id = 1; id <= 3; id++) {
                assertEquals(1, cluster.node(id).firstOffsetHeld());
                assertEquals(before, readFrom(cluster.node(id), 1, last), "node " + id);
            }
            assertDecidesLikeTheOthers(cluster, cluster.awaitLeader(), early.get(2), "k2", after.get(after.size() - 1));
        }
    }

    @Test
    void aMemberRestartedAfterCompactingReadsOnlyTheLogAfterItsSnapshot() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(root, 3, 0,
                config -> COMPACTING.apply(config).withMeterRegistry(new SimpleMeterRegistry()))) {
            write(cluster, 0, 299);
            compactEveryRunningMember(cluster, 299);
            List<AppendResult> written = write(cluster, 300, 305);
            int member = cluster.aFollower(cluster.awaitLeader());
            awaitCaughtUp(cluster, member, written.get(written.size() - 1).offset());
            cluster.stop(member); // its checkpoint at close covers everything

            EventLogNode restarted = cluster.start(member);

            double read = restarted.config().meterRegistry().get("eventlog.log.excerpts.read").functionCounter().count();
            assertTrue(read < 30, "a start-up after the snapshot read " + read + " records of a 305-entry log");
            assertEquals(written.get(written.size() - 1).offset(), restarted.lastOffset());
        }
    }

    /** Appends {@code from..to-1}, keyed, to five streams (every seventh a batch of two), following the leader. */
    static List<AppendResult> write(InProcessCluster cluster, int from, int to) {
        List<AppendResult> results = new ArrayList<>();
        for (int i = from; i < to; i++) {
            List<EventData> events = new ArrayList<>();
            events.add(EventData.json("T", "{\"i\":" + i + "}"));
            if (i % 7 == 0) {
                events.add(EventData.json("T", "{\"i\":" + i + ",\"second\":true}"));
            }
            results.add(appendRetrying(cluster, "s" + (i % 5), events, AppendOptions.DEFAULT.withIdempotencyKey("k" + i)));
        }
        return results;
    }

    /** Appends through the leader, retrying what may be retried (an election, a timeout) with the same options. */
    static AppendResult appendRetrying(InProcessCluster cluster, String stream, List<EventData> events,
                                       AppendOptions options) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return cluster.node(cluster.awaitLeader()).append(stream, events, options).block(WAIT);
            } catch (EventLogException e) {
                if (!e.code().retryable() || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /**
     * Compacts every running member's Raft log: appends entry {@code key} once the clock is in a new
     * second (a new queue file), has every member write a checkpoint (ending in that file), and waits
     * until retention has deleted the files before it, which compacts to it. Returns the checkpoints' indexes.
     */
    private static Set<Long> compactEveryRunningMember(InProcessCluster cluster, int key) throws InterruptedException {
        sleepIntoTheNextSecond();
        long offset = write(cluster, key, key + 1).get(0).offset();
        for (int id = 1; id <= 3; id++) {
            if (cluster.node(id) != null) {
                awaitCaughtUp(cluster, id, offset);
            }
        }
        Set<Long> indexes = checkpointEveryRunningMember(cluster);
        for (int id = 1; id <= 3; id++) {
            EventLogNode node = cluster.node(id);
            if (node != null) {
                InProcessCluster.await("retention on node " + id, () -> node.firstOffsetHeld() > 1);
            }
        }
        return indexes;
    }

    private static void sleepIntoTheNextSecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
    }

    /** Every running member writes its checkpoint; returns their indexes. */
    private static Set<Long> checkpointEveryRunningMember(InProcessCluster cluster) {
        Set<Long> indexes = new TreeSet<>();
        for (int id = 1; id <= 3; id++) {
            if (cluster.node(id) != null) {
                Checkpoint checkpoint = cluster.node(id).checkpoint().block(WAIT);
                assertTrue(checkpoint.offset() > 0, "node " + id + " wrote a checkpoint");
                indexes.add(checkpoint.offset());
            }
        }
        return indexes;
    }

    private static EventLogNode awaitCaughtUp(InProcessCluster cluster, int id, long offset) {
        EventLogNode node = cluster.node(id);
        InProcessCluster.await("node " + id + " applies offset " + offset, () -> node.lastOffset() >= offset);
        return node;
    }

    /** Entry by entry, from the first offset every member holds to the member's last. */
    private static void assertServesTheSameAsTheOthers(InProcessCluster cluster, int id) {
        EventLogNode node = cluster.node(id);
        long last = node.lastOffset();
        long from = 1;
        for (int other = 1; other <= 3; other++) {
            if (cluster.node(other) != null) {
                from = Math.max(from, cluster.node(other).firstOffsetHeld());
            }
        }
        List<Entry> served = readFrom(node, from, last);
        assertFalse(served.isEmpty(), "node " + id + " serves from " + from);
        for (int other = 1; other <= 3; other++) {
            if (other != id && cluster.node(other) != null) {
                assertEquals(served, readFrom(cluster.node(other), from, last),
                        "node " + other + " vs node " + id);
            }
        }
    }

    /**
     * Leading, the member decides appends on the state it restored: a retried key answers its original
     * result, and the streams' versions go on where they were.
     */
    private static void assertDecidesLikeTheOthers(InProcessCluster cluster, int id, AppendResult original, String key,
                                                   AppendResult last) {
        cluster.onLeader(admin -> admin.transferLeadership(id));
        AppendResult retried = appendRetrying(cluster, original.stream(), List.of(EventData.json("T", "{}")),
                AppendOptions.DEFAULT.withIdempotencyKey(key));
        assertEquals(original, retried, "a retry of key " + key);
        AppendResult next = appendRetrying(cluster, last.stream(), List.of(EventData.json("T", "{}")),
                AppendOptions.DEFAULT.withExpectedVersion(ExpectedVersion.exactly(last.version())));
        assertEquals(last.version() + 1, next.version());
    }

    private static List<Entry> readFrom(EventLogNode node, long from, long upTo) {
        List<Entry> entries = new ArrayList<>();
        long next = from;
        while (true) {
            List<Entry> page = node.read(ReadRequest.log(next, 1000).withMinOffset(upTo)).collectList().block(WAIT);
            for (Entry entry : page) {
                if (entry.offset() > upTo) {
                    return entries;
                }
                entries.add(entry);
            }
            if (page.isEmpty() || page.get(page.size() - 1).offset() >= upTo) {
                return entries;
            }
            next = page.get(page.size() - 1).offset() + 1;
        }
    }

    private static void assertExpired(Runnable read) {
        EventLogException e = assertThrows(EventLogException.class, read::run);
        assertEquals(ErrorCode.OFFSET_EXPIRED, e.code(), e.getMessage());
    }

    private static void wipe(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static int otherThan(int a, int b) {
        for (int id = 1; id <= 3; id++) {
            if (id != a && id != b) {
                return id;
            }
        }
        throw new IllegalStateException();
    }

    /** A stopped member's Raft log, opened as its node would. */
    private record OpenedRaftLog(ChronicleLog log, ChronicleRaftStorage storage) implements AutoCloseable {
        static OpenedRaftLog of(Path dataDir) {
            ChronicleLog log = ChronicleLog.open(dataDir, NodeConfig.defaults(dataDir).rollCycle(), false);
            return new OpenedRaftLog(log, ChronicleRaftStorage.open(log, dataDir, ClusterConfig.EMPTY));
        }

        @Override
        public void close() {
            storage.close();
            log.close();
        }
    }
}
