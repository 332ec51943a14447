package io.eventlog.server.testing;

import io.eventlog.server.cli.EventLogCommand;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of a {@link ProcessCluster}: its addresses and data directory, which outlive its processes,
 * and the {@code eventlog serve} process of its current run. Each run's stdout, stderr and GC log go to files
 * of their own ({@code node-<id>-run<n>.out/.log/.gc}), kept for failure analysis.
 */
final class ClusterNode {
    /**
     * Three nodes and the test share a small machine: one GC thread and no C2 compiler make a node start sooner
     * and leave CPU to the others. Neither changes what the node does.
     */
    private static final String[] QUICK_START = {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(30);

    private final int id;
    private final int peerPort;
    private final Path data;
    private final Path logs;
    private final List<Path> logFiles = new ArrayList<>();
    private final int httpPort;
    private final int binaryPort;
    private int runs;
    private JvmProcess process;
    private boolean paused;

    /**
     * @param peerPort where it listens for its peers
     * @param httpPort where it serves HTTP
     * @param binaryPort where it serves the binary protocol
     * @param data     its data directory, kept across runs
     * @param logs     where each run's output goes
     */
    ClusterNode(int id, int peerPort, int httpPort, int binaryPort, Path data, Path logs) {
        this.id = id;
        this.peerPort = peerPort;
        this.httpPort = httpPort;
        this.binaryPort = binaryPort;
        this.data = data;
        this.logs = logs;
    }

    int id() {
        return id;
    }

    int peerPort() {
        return peerPort;
    }

    URI httpBase() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    String binaryAddress() {
        return "127.0.0.1:" + binaryPort;
    }

    /** Starts a run ({@link #awaitListening} waits for it to serve); {@code args} come after the node's own. */
    synchronized void start(String peers, List<String> args) {
        if (isRunning()) {
            throw new IllegalStateException("node " + id + " is already running");
        }
        runs++;
        String name = "node-" + id + "-run" + runs;
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".log");
        logFiles.add(out);
        logFiles.add(err);
        NodeClassArchive classes = NodeClassArchive.get();
        process = JvmProcess.builder(EventLogCommand.class).name(name).stdoutTo(out).stderrTo(err)
                .classPath(classes.classPath()).jvmArgs(QUICK_START).jvmArgs(classes.jvmArgs().toArray(String[]::new))
                .jvmArgs("-Xlog:gc:file=" + logs.resolve(name + ".gc")) // a long pause is the first suspect of a stall
                .args("serve", "--node-id=" + id, "--peers=" + peers, "--host=127.0.0.1", "--port=" + httpPort,
                        "--binary-port=" + binaryPort, "--data=" + data)
                .args(args).start();
        paused = false;
    }

    /** Waits until the current run serves HTTP (its Raft log is open). */
    void awaitListening() {
        JvmProcess run;
        synchronized (this) {
            run = process;
        }
        run.awaitLine(line -> line.contains(" listening on http://"), START);
    }

    /** SIGKILL; waits until the process is gone. */
    synchronized void kill9() {
        process.kill9();
        paused = false;
    }

    /** SIGTERM, the clean shutdown; waits until the process has exited. */
    void stop() {
        JvmProcess run;
        synchronized (this) {
            if (paused) {
                resume(); // a stopped process would never handle SIGTERM
            }
            run = process;
        }
        run.signal("TERM");
        run.awaitExit(STOP);
    }

    synchronized void pause() {
        process.pause();
        paused = true;
    }

    synchronized void resume() {
        process.resume();
        paused = false;
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Running and not paused: it should answer. */
    synchronized boolean isLive() {
        return isRunning() && !paused;
    }

    synchronized List<Path> logFiles() {
        return List.copyOf(logFiles);
    }

    /** Kills the current run if it still runs. */
    synchronized void close() {
        if (process != null) {
            process.close();
        }
    }

    @Override
    public synchronized String toString() {
        String state = process == null ? "never started" : !process.isAlive() ? "down" : paused ? "paused" : "running";
        return "node " + id + " (" + state + ", http " + httpPort + ", peer " + peerPort + ", run " + runs + ")";
    }
}
