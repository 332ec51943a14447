package io.eventlog.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.testing.history.CheckReport;
import io.eventlog.server.testing.history.History;
import io.eventlog.server.testing.history.HistoryChecker;
import io.eventlog.server.testing.history.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One fault test against a {@link ProcessCluster}: the cluster, a {@link ClusterWorkload} recording a
 * {@link History} to a file, and a {@link Nemesis}. The test injects its faults; {@link #finish()} then ends
 * them all, waits for the nodes to converge, reads the whole log from every node and checks the history
 * with {@link HistoryChecker}. The history and every node's output are kept under the output directory;
 * if the scenario does not finish, {@link #close()} prints where they are.
 *
 * <pre>{@code
 * try (ClusterScenario run = ClusterScenario.start("leader-kill", dataDir)) {
 *     run.workload().awaitOkAppends(50, Duration.ofSeconds(30));
 *     run.nemesis().kill9(run.cluster().leader());
 *     ...
 *     CheckReport report = run.finish();
 * }
 * }</pre>
 */
public final class ClusterScenario implements AutoCloseable {
    /** Three nodes: one may fail and the others still make a majority. */
    public static final int NODES = 3;
    public static final int APPENDERS = 6;
    /** Shorter than the default 5 s to keep runs short; still far above a healthy commit. */
    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final String name;
    private final Path historyFile;
    private final History history;
    private final ProcessCluster cluster;
    private final Nemesis nemesis;
    private final ClusterWorkload workload;
    private boolean finished;

    private ClusterScenario(String name, Path historyFile, History history, ProcessCluster cluster,
                            ClusterWorkload workload) {
        this.name = name;
        this.historyFile = historyFile;
        this.history = history;
        this.cluster = cluster;
        this.nemesis = new Nemesis(cluster, history);
        this.workload = workload;
    }

    /** As {@link #start(String, Path, Path)}, with the output under {@code target/cluster-tests}. */
    public static ClusterScenario start(String name, Path dataDir) {
        return start(name, dataDir, outputDir("cluster-tests", name));
    }

    /**
     * Starts the cluster, waits for a leader, and starts the workload.
     *
     * @param dataDir   the nodes' data (a temporary directory)
     * @param outputDir where the history and the nodes' output go ({@link #outputDir})
     */
    public static ClusterScenario start(String name, Path dataDir, Path outputDir) {
        Path historyFile = outputDir.resolve("history.jsonl");
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        History history = History.writingTo(historyFile);
        ProcessCluster cluster = null;
        try {
            cluster = ProcessCluster.start(NODES, dataDir, outputDir.resolve("nodes"),
                    List.of("--append-timeout=" + APPEND_TIMEOUT.toMillis() + "ms"));
            cluster.leader();
            ClusterWorkload workload = new ClusterWorkload(cluster.ids().stream().map(cluster::httpBase).toList(),
                    history, APPENDERS, CLIENT_TIMEOUT);
            return new ClusterScenario(name, historyFile, history, cluster, workload);
        } catch (RuntimeException | Error e) {
            if (cluster != null) {
                cluster.close();
            }
            history.close();
            System.err.println(name + " did not start; node output in " + outputDir.resolve("nodes"));
            throw e;
        }
    }

    /** A new directory for a run's history and node output: {@code target/<group>/<name>-<time>}. */
    public static Path outputDir(String group, String name) {
        return Path.of("target", group, name + "-" + System.currentTimeMillis()).toAbsolutePath();
    }

    public ProcessCluster cluster() {
        return cluster;
    }

    public Nemesis nemesis() {
        return nemesis;
    }

    public ClusterWorkload workload() {
        return workload;
    }

    public History history() {
        return history;
    }

    /**
     * Stops the appenders, ends every fault, waits until the nodes converge, reads the whole log from each node,
     * waits until the subscriptions have caught up with it, and checks the history: it must be valid.
     */
    public CheckReport finish() throws InterruptedException {
        workload.stopAppending();
        nemesis.healAll();
        long commitIndex = cluster.awaitConverged();
        List<Op> reads = new ArrayList<>();
        for (int id : cluster.ids()) {
            Op read = new HttpLogClient(cluster.httpBase(id), CATCH_UP).readLog(history, "final-" + id, commitIndex);
            assertEquals(Op.Phase.OK, read.phase(), () -> "the final read of node " + id + ": " + read + "; "
                    + artifacts());
            reads.add(read);
        }
        workload.awaitCaughtUp(reads.get(0).entries(), CATCH_UP);
        workload.close();
        history.close();
        CheckReport report = HistoryChecker.check(History.read(historyFile));
        System.out.println(name + ": " + report.toString().lines().findFirst().orElse("") + "; faults "
                + nemesis.injected() + "; final log " + reads.get(0).entries().size() + " entries; " + artifacts());
        assertTrue(report.isValid(), () -> report + "\n" + artifacts());
        finished = true;
        return report;
    }

    /** Where the history and the node output are, for failure messages. */
    public String artifacts() {
        return "history " + historyFile + ", node output " + historyFile.resolveSibling("nodes");
    }

    @Override
    public void close() throws InterruptedException {
        try {
            workload.close();
        } finally {
            cluster.close();
            history.close();
            if (!finished) {
                System.err.println(name + " did not finish: " + artifacts() + "\n" + cluster.logFiles());
            }
        }
    }
}
