package io.eventlog.server.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventlog.api.AppendResult;
import io.eventlog.api.EventData;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** A projection checkpoints after every so many entries, every so often, on request and at close. */
class ProjectionCheckpointTriggerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path dataDir;

    @Test
    void everyEntriesItGoesPastSelectedOrNotAndAtClose() throws IOException {
        CheckpointConfig every10 = new CheckpointConfig(10, NEVER, 100);
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            try (ProjectionHandle<Balances> balances = Projections.start(node,
                    Balances.projection("one", EntrySelection.stream("account-1")), every10)) {
                AppendResult last = null;
                for (int i = 0; i < 35; i++) {
                    last = node.append(i % 2 == 0 ? "account-1" : "audit", deposit()).block(WAIT);
                }
                balances.awaitOffset(last.offset()).block(WAIT);
                assertEquals(List.of(30L, 20L, 10L), ProjectionFiles.checkpointOffsets(dataDir, "one"));
            }
            assertEquals(List.of(35L, 30L, 20L, 10L), ProjectionFiles.checkpointOffsets(dataDir, "one"));
        }
    }

    @Test
    void everyIntervalWhenThereIsSomethingNew() throws IOException, InterruptedException {
        CheckpointConfig everySecondOnly = new CheckpointConfig(Long.MAX_VALUE, Duration.ofMillis(200), 3);
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> balances = Projections.start(node,
                     Balances.projection("timed", EntrySelection.all()), everySecondOnly)) {
            AppendResult appended = node.append("account-1", deposit()).block(WAIT);
            balances.awaitOffset(appended.offset()).block(WAIT);

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (balances.newestCheckpoint().offset() < appended.offset() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(appended.offset()), ProjectionFiles.checkpointOffsets(dataDir, "timed"));
        }
    }

    @Test
    void onRequestAnsweringTheNewestWhenNothingIsNew() {
        CheckpointConfig onlyOnRequest = new CheckpointConfig(Long.MAX_VALUE, NEVER, 3);
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
             ProjectionHandle<Balances> balances = Projections.start(node,
                     Balances.projection("manual", EntrySelection.all()), onlyOnRequest)) {
            assertSame(Checkpoint.NONE, balances.checkpoint().block(WAIT), "nothing folded yet");
            AppendResult appended = node.append("account-1", deposit()).block(WAIT);
            balances.awaitOffset(appended.offset()).block(WAIT);

            Checkpoint written = balances.checkpoint().block(WAIT);

            assertEquals(appended.offset(), written.offset());
            assertEquals(dataDir.resolve("projections").resolve("manual").toAbsolutePath(),
                    written.file().getParent());
            assertEquals(written, balances.checkpoint().block(WAIT));
        }
    }

    @Test
    void atCloseInTheMiddleOfACatchUp() throws IOException {
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            List<EventData> batch = java.util.Collections.nCopies(100, deposit());
            for (int i = 0; i < 300; i++) {
                node.append("account-" + i % 10, batch, io.eventlog.api.AppendOptions.DEFAULT).block(WAIT);
            }
            ProjectionHandle<Balances> balances = Projections.start(node,
                    Balances.projection("closing", EntrySelection.all()), new CheckpointConfig(Long.MAX_VALUE, NEVER, 3));
            balances.awaitOffset(1).block(WAIT);

            balances.close();

            long reached = balances.offset();
            assertEquals(reached, balances.newestCheckpoint().offset(), "a checkpoint at the offset it stopped at");
            assertEquals(List.of(reached), ProjectionFiles.checkpointOffsets(dataDir, "closing"));
        }
    }

    @Test
    void whenTheNodeClosesFirstItsProjectionsEndWithACheckpoint() throws IOException {
        EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir));
        try (ProjectionHandle<Balances> balances = Projections.start(node,
                Balances.projection("outlived", EntrySelection.all()), new CheckpointConfig(Long.MAX_VALUE, NEVER, 3))) {
            AppendResult appended = node.append("account-1", deposit()).block(WAIT);
            balances.awaitOffset(appended.offset()).block(WAIT);

            node.close();

            StepVerifier.create(balances.changes()).expectNextCount(1).expectComplete().verify(WAIT);
            assertEquals(List.of(appended.offset()), ProjectionFiles.checkpointOffsets(dataDir, "outlived"));
        }
    }

    @Test
    void aCheckpointBeingWrittenIsNotInterruptedByACallerGivingUpNorByClose() throws Exception {
        SlowCodec codec = new SlowCodec();
        Projection<Balances> slow = Projection.of("slow", Balances.EMPTY, Balances::apply, codec);
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dataDir))) {
            ProjectionHandle<Balances> balances = Projections.start(node, slow, new CheckpointConfig(Long.MAX_VALUE,
                    NEVER, 3));
            balances.awaitOffset(node.append("account-1", deposit()).block(WAIT).offset()).block(WAIT);

            assertThrows(IllegalStateException.class, () -> balances.checkpoint().block(Duration.ofMillis(50)),
                    "the caller gives up while the checkpoint is being encoded");
            balances.awaitOffset(node.append("account-1", deposit()).block(WAIT).offset()).block(WAIT);
            codec.encoding = new CountDownLatch(1);
            balances.checkpoint().subscribe();
            codec.encoding.await();
            balances.close();

            assertFalse(codec.interrupted, "no write was interrupted");
            assertEquals(balances.offset(), balances.newestCheckpoint().offset());
            assertEquals(List.of(balances.offset(), balances.offset() - 1),
                    ProjectionFiles.checkpointOffsets(dataDir, "slow"));
        }
    }

    /** Takes its time to encode, and notes whether its thread was interrupted meanwhile. */
    private static final class SlowCodec implements StateCodec<Balances> {
        private final StateCodec<Balances> json = JacksonStateCodec.of(Balances.class);
        volatile CountDownLatch encoding = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public byte[] encode(Balances state) throws Exception {
            encoding.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                interrupted = true;
                throw e;
            }
            return json.encode(state);
        }

        @Override
        public Balances decode(byte[] bytes) throws Exception {
            return json.decode(bytes);
        }
    }

    private static EventData deposit() {
        return EventData.json("Deposited", "{\"amount\":1}");
    }
}
