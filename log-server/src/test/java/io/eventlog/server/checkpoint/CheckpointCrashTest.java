package io.eventlog.server.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.recovery.AppendWorkload;
import io.eventlog.server.recovery.CrashVerifier;
import io.eventlog.server.recovery.Transcript;
import io.eventlog.server.testing.JvmProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash at each step of writing a checkpoint: a node in a child JVM appends under load from several
 * threads, and the {@link CrashPoint} hook halts it when its first checkpoint reaches the step. The
 * data directory already holds entries and an older checkpoint (from a clean close). The next start
 * must use what is on disk correctly (a temp file is ignored and deleted, the older checkpoint used;
 * a renamed file is a whole checkpoint, and the newest) and lose no acknowledged append.
 */
class CheckpointCrashTest {
    private static final int CHECKPOINT_EVERY = 300;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aCrashWhileWritingACheckpointLosesNothing(CrashPoint step) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path checkpoints = data.resolve("checkpoints");
        List<Entry> baseline;
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
            TestFiles.append(node, 0, 200);
            baseline = CrashVerifier.readLog(node);
        }
        List<Checkpoint> before = TestFiles.checkpointsIn(checkpoints);
        assertEquals(200, before.get(0).offset());

        Transcript transcript = crashAtFirstCheckpoint(data, step);

        List<Path> temps = temps(checkpoints);
        List<Checkpoint> after = TestFiles.checkpointsIn(checkpoints);
        if (step == CrashPoint.AFTER_RENAME) {
            assertEquals(List.of(), temps);
            assertEquals(2, after.size(), after.toString());
            assertTrue(after.get(0).offset() >= 200 + CHECKPOINT_EVERY, after.toString());
        } else {
            assertEquals(1, temps.size(), temps.toString());
            assertEquals(before, after);
        }
        Startups.Started started = Startups.startup(data);
        assertEquals(after.get(0), started.checkpoint());
        assertEquals(Startups.fullReplay(data), started.image());
        assertEquals(List.of(), temps(checkpoints), "the temp file is deleted at start-up");
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(data))) {
            CrashVerifier.Summary summary = CrashVerifier.verify(node, baseline, transcript, step.step());
            assertTrue(summary.ackedAppends() > 0, summary.toString());
        }
    }

    private Transcript crashAtFirstCheckpoint(Path data, CrashPoint step) {
        try (JvmProcess child = JvmProcess.builder(AppendWorkload.class)
                .name("checkpoint-crash-" + step.step())
                .stderrTo(dir.resolve(step.step() + ".log"))
                .jvmArgs("-XX:+DisplayVMOutputToStderr", "-D" + CrashPoint.PROPERTY + "=" + step.step())
                .args("data=" + data, "seed=" + step.ordinal(), "appenders=3", "streams=7", "inflight=8",
                        "checkpointEvery=" + CHECKPOINT_EVERY)
                .start()) {
            assertEquals(CrashPoint.EXIT_STATUS, child.awaitExit(Duration.ofSeconds(60)), child.describe());
            return Transcript.parse(child.lines(), child.tornTail());
        }
    }

    private static List<Path> temps(Path checkpoints) throws IOException {
        try (Stream<Path> files = Files.list(checkpoints)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
