package io.eventlog.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A JVM started as a child process for crash and fault tests: {@code java @<jvm.options> <jvm args>
 * -cp <this JVM's class path> <main> <args>}, with the JVM flags file that every eventlog JVM needs.
 *
 * <p>Its stdout is read line by line: {@link #lines()} holds only complete lines (a line torn by a
 * kill -9, without its newline, is kept apart in {@link #tornTail()}), so a child can use stdout as a
 * protocol ("this append was acknowledged"). Its stdout can also be copied byte for byte to a file
 * ({@link Builder#stdoutTo}), the evidence of what the child said when a check fails. Its stderr is
 * kept (the last lines, for failure messages) and optionally copied to a file. The child can be killed with SIGKILL ({@link #kill9()}), paused
 * and resumed (SIGSTOP/SIGCONT); {@link #close()} kills it if it still runs, and a shutdown hook
 * kills every child still alive when the test JVM exits, so no test leaves a process behind.
 *
 * <pre>{@code
 * try (JvmProcess child = JvmProcess.builder(MyMain.class).args("data", "fsync").start()) {
 *     child.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(20));
 *     child.kill9();
 * }
 * }</pre>
 */
public final class JvmProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final int STDERR_KEPT = 200;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "jvm-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final List<Consumer<String>> listeners;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final long startedNanos = System.nanoTime();
    private String tornTail = "";
    private boolean stdoutClosed;
    private IOException stdoutFailure;

    private JvmProcess(String name, Process process, List<Consumer<String>> listeners, Path stdoutFile,
                       Path stderrFile) {
        this.name = name;
        this.process = process;
        this.listeners = List.copyOf(listeners);
        this.stdoutReader = daemon(name + "-stdout", () -> readStdout(process.getInputStream(), stdoutFile));
        this.stderrReader = daemon(name + "-stderr", () -> readStderr(process.getErrorStream(), stderrFile));
        stdoutReader.start();
        stderrReader.start();
    }

    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /** The JVM flags file every eventlog JVM needs (config/jvm.options), as surefire names it. */
    public static Path jvmOptionsFile() {
        String configured = System.getProperty("eventlog.jvm.options");
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        String root = System.getProperty("eventlog.root");
        List<Path> candidates = new ArrayList<>();
        if (root != null) {
            candidates.add(Path.of(root, "config", "jvm.options"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("config").resolve("jvm.options"));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new IllegalStateException("cannot find config/jvm.options: set -Deventlog.jvm.options"));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Milliseconds since the child was started. */
    public long uptimeMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** A copy of the complete stdout lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Complete stdout lines from {@code from} on (a cheap way to poll for new lines). */
    public List<String> linesFrom(int from) {
        synchronized (lines) {
            return from >= lines.size() ? List.of() : List.copyOf(lines.subList(from, lines.size()));
        }
    }

    public int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** What stdout held after its last newline when it closed (non-empty when a kill tore a line). */
    public String tornTail() {
        synchronized (lines) {
            return tornTail;
        }
    }

    /** Waits for the first complete stdout line (from the start) that matches; fails on timeout or exit. */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (matcher.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (stdoutClosed || left <= 0) {
                    throw new IllegalStateException(name + (stdoutClosed ? " ended" : " timed out")
                            + " before the expected line; " + describe());
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    /** Waits until at least {@code count} stdout lines match; fails on timeout or exit. */
    public void awaitLineCount(Predicate<String> matcher, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        int matched = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (matcher.test(lines.get(seen)) && ++matched >= count) {
                        return;
                    }
                }
                long left = deadline - System.nanoTime();
                if (stdoutClosed || left <= 0) {
                    throw new IllegalStateException(name + " gave " + matched + " of " + count
                            + " expected lines; " + describe());
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    /**
     * Kills the child with SIGKILL (no shutdown hooks, no flushing: a crash) and waits until it is gone
     * and its stdout is read to the end, so that {@link #lines()} and {@link #tornTail()} are then
     * everything the child wrote; it fails if that cannot be done.
     *
     * <p>It signals through {@link ProcessHandle}, not {@link Process#destroyForcibly()}: on Linux the
     * latter also closes this side's ends of the child's pipes right after the signal, which throws
     * away whatever the child wrote that the reader threads had not read yet (the last lines of a
     * child killed under load: a crash test then sees appends that were sent as never sent).
     */
    public void kill9() {
        process.toHandle().destroyForcibly(); // SIGKILL on Linux; the pipes stay open to be read to the end
        awaitGone(Duration.ofSeconds(30));
        synchronized (lines) {
            if (stdoutFailure != null) {
                throw new IllegalStateException(name + "'s stdout could not be read to the end; " + describe(),
                        stdoutFailure);
            }
        }
    }

    /** SIGSTOP: the child freezes where it is (a long GC pause, a hung disk, a stalled VM). */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    /** Sends a signal by name (STOP, CONT, TERM, KILL, ...) with kill(1). */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits for the child to exit by itself; returns its exit code, or fails on timeout. */
    public int awaitExit(Duration timeout) {
        awaitGone(timeout);
        return process.exitValue();
    }

    private void awaitGone(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not exit within " + timeout + "; " + describe());
            }
            stdoutReader.join(timeout.toMillis());
            stderrReader.join(timeout.toMillis());
            if (stdoutReader.isAlive()) {
                throw new IllegalStateException(name + " exited but its stdout was not read to the end within "
                        + timeout + " (a process it started still holds it?); " + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(process);
            }
        }
    }

    /** The last stderr lines, for failure messages. */
    public String stderrTail() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    /** pid, state and the last stderr lines, for failure messages. */
    public String describe() {
        return name + " (pid " + process.pid() + (process.isAlive() ? ", alive" : ", exit " + process.exitValue())
                + ", " + lineCount() + " stdout lines); stderr tail:\n" + stderrTail();
    }

    /** Kills the child if it still runs (SIGKILL works on a stopped process too). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().destroyForcibly(); // keeps the pipes open, see kill9()
        }
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!process.isAlive()) {
            LIVE.remove(process);
        }
    }

    private void readStdout(InputStream in, Path copy) {
        byte[] buffer = new byte[64 * 1024];
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        try (in; var out = copy == null ? null : Files.newOutputStream(copy)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out != null) {
                    out.write(buffer, 0, n); // unbuffered: what was read is in the file even if this JVM dies
                }
                List<String> complete = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        pending.write(buffer, start, i - start);
                        complete.add(pending.toString(StandardCharsets.UTF_8));
                        pending.reset();
                        start = i + 1;
                    }
                }
                pending.write(buffer, start, n - start);
                if (!complete.isEmpty()) {
                    synchronized (lines) {
                        lines.addAll(complete);
                        lines.notifyAll();
                    }
                    for (String line : complete) {
                        listeners.forEach(listener -> listener.accept(line));
                    }
                }
            }
        } catch (IOException e) {
            // Not the end of the child's output (that is EOF): the pipe was closed on this side.
            synchronized (lines) {
                stdoutFailure = e;
            }
        } finally {
            synchronized (lines) {
                tornTail = pending.toString(StandardCharsets.UTF_8);
                stdoutClosed = true;
                lines.notifyAll();
            }
        }
    }

    private void readStderr(InputStream in, Path copy) {
        try (in; var out = copy == null ? null : Files.newOutputStream(copy)) {
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderr) {
                    stderr.addLast(line);
                    if (stderr.size() > STDERR_KEPT) {
                        stderr.removeFirst();
                    }
                }
                if (out != null) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // The stream closes when the child dies.
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** How to start a child JVM. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<Consumer<String>> listeners = new ArrayList<>();
        private String name;
        private String heap = "-Xmx256m";
        private Path workingDir;
        private Path stderrFile;
        private Path stdoutFile;
        private String classPath = System.getProperty("java.class.path");

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass);
            this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        /** Extra JVM flags after the options file (system properties, GC flags, ...). */
        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        /** The child's maximum heap flag, -Xmx256m unless set. */
        public Builder heap(String xmx) {
            this.heap = xmx;
            return this;
        }

        public Builder workingDir(Path dir) {
            this.workingDir = dir;
            return this;
        }

        /** Also copies the child's stderr (its log) to this file. */
        public Builder stderrTo(Path file) {
            this.stderrFile = file;
            return this;
        }

        /** Also copies the child's stdout, byte for byte (a torn last line included), to this file. */
        public Builder stdoutTo(Path file) {
            this.stdoutFile = file;
            return this;
        }

        public Builder classPath(String value) {
            this.classPath = value;
            return this;
        }

        /** Called on the reader thread for each complete stdout line, in order. */
        public Builder onLine(Consumer<String> listener) {
            listeners.add(listener);
            return this;
        }

        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("@" + jvmOptionsFile());
            if (heap != null) {
                command.add(heap);
            }
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classPath);
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        public JvmProcess start() {
            ProcessBuilder builder = new ProcessBuilder(command());
            if (workingDir != null) {
                builder.directory(workingDir.toFile());
            }
            try {
                Process process = builder.start();
                LIVE.add(process);
                process.getOutputStream().close();
                return new JvmProcess(name, process, listeners, stdoutFile, stderrFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + command(), e);
            }
        }
    }
}
