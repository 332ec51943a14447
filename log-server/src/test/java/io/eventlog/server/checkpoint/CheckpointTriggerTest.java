package io.eventlog.server.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When checkpoints are written: by entries, by time, on close (only when something is new), and how many stay. */
class CheckpointTriggerTest {
    @TempDir
    Path dir;

    @Test
    void everyNEntriesAndOnCloseKeepingTheNewest() throws InterruptedException, IOException {
        NodeConfig config = NodeConfig.defaults(dir)
                .withCheckpoints(new CheckpointConfig(100, Duration.ofHours(1), 2));
        try (EventLogNode node = EventLogNode.open(config)) {
            TestFiles.append(node, 0, 350);
            // the first one at offset 99; once the writer is idle, the newest is less than 100 entries behind
            awaitCheckpoints(offset -> offset > 250);
        }
        List<Checkpoint> kept = checkpoints();
        assertEquals(2, kept.size(), kept.toString());
        assertEquals(350, kept.get(0).offset(), "the last entries are covered, on close at the latest");

        try (EventLogNode node = EventLogNode.open(config)) {
            assertEquals(350, node.lastOffset());
        }
        assertEquals(kept, checkpoints(), "a close with nothing new writes nothing");
    }

    @Test
    void afterTheIntervalWhenSomethingIsNew() throws InterruptedException, IOException {
        NodeConfig config = NodeConfig.defaults(dir)
                .withCheckpoints(new CheckpointConfig(1_000_000, Duration.ofMillis(300), 3));
        try (EventLogNode node = EventLogNode.open(config)) {
            Thread.sleep(600);
            assertEquals(List.of(), checkpoints(), "nothing to cover, no checkpoint");
            TestFiles.append(node, 0, 3);
            awaitCheckpoints(offset -> offset == 3);
        }
    }

    private List<Checkpoint> checkpoints() throws IOException {
        return TestFiles.checkpointsIn(dir.resolve("checkpoints"));
    }

    private void awaitCheckpoints(java.util.function.LongPredicate newest) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (checkpoints().isEmpty() || !newest.test(checkpoints().get(0).offset())) {
            assertTrue(System.nanoTime() < deadline, "no such checkpoint: " + checkpoints());
            Thread.sleep(20);
        }
    }
}
