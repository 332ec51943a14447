package io.eventlog.server.testing;

import io.eventlog.server.cli.EventLogCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How node processes start quickly: a class data sharing archive (AppCDS) of the classes a node loads from
 * jars (netty, reactor, Chronicle, Jackson, ...). Loading those is most of a node JVM's start-up, which a
 * test on a small machine pays at every start and restart; with the archive a node starts in about a third
 * of the time. The archive is made once per class path (a node run that lists the classes it loads, then
 * {@code -Xshare:dump}) and kept under {@code target/cds} with what it was made from. Classes from directories (this build's own) cannot
 * be archived and load as usual, so the archive never holds stale code: a jar that changed makes the JVM
 * ignore the archive (it checks every jar's size and time). If the archive cannot be made, nodes start
 * without it.
 */
final class NodeClassArchive {
    private static final Duration MAKE_TIMEOUT = Duration.ofSeconds(120);
    private static NodeClassArchive instance;

    private final String classPath;
    private final List<String> jvmArgs;

    private NodeClassArchive(String classPath, List<String> jvmArgs) {
        this.classPath = classPath;
        this.jvmArgs = jvmArgs;
    }

    /** The archive for this JVM's class path, made on first use. */
    static synchronized NodeClassArchive get() {
        if (instance == null) {
            instance = make();
        }
        return instance;
    }

    /** This JVM's class path with its jars first, as the archive needs (it was made from the jars alone). */
    String classPath() {
        return classPath;
    }

    /** The JVM flags that use the archive; none when there is none. */
    List<String> jvmArgs() {
        return jvmArgs;
    }

    private static NodeClassArchive make() {
        List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> jars = entries.stream().filter(e -> e.endsWith(".jar")).toList();
        List<String> directories = entries.stream().filter(e -> !e.endsWith(".jar")).toList();
        String classPath = Stream.concat(jars.stream(), directories.stream())
                .collect(Collectors.joining(File.pathSeparator));
        Path archive = Path.of("target", "cds", "node-" + Integer.toHexString(signature(jars)) + ".jsa")
                .toAbsolutePath();
        try {
            if (!Files.isRegularFile(archive)) {
                dump(archive, String.join(File.pathSeparator, jars), classPath);
            }
            return new NodeClassArchive(classPath, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"));
        } catch (IOException | RuntimeException e) {
            System.err.println("NodeClassArchive: nodes start without a class archive: " + e);
            return new NodeClassArchive(classPath, List.of());
        }
    }

    /** The jars and their sizes and times, and the JVM: what the archive is valid for. */
    private static int signature(List<String> jars) {
        StringBuilder text = new StringBuilder(System.getProperty("java.vm.version"));
        for (String jar : jars) {
            File file = new File(jar);
            text.append('|').append(jar).append(':').append(file.length()).append(':').append(file.lastModified());
        }
        return text.toString().hashCode();
    }

    /**
     * Runs a single-member node to list the classes it loads, then archives those found in the jars. Archives
     * made for other class paths are deleted first: a build that rebuilds its jars would otherwise pile them up.
     */
    private static void dump(Path archive, String jarPath, String classPath) throws IOException {
        deleteRecursively(archive.getParent());
        Path work = Files.createDirectories(archive.resolveSibling(archive.getFileName() + ".work"));
        Path classList = work.resolve("classes.lst");
        try (JvmProcess node = JvmProcess.builder(EventLogCommand.class).name("class-list").classPath(classPath)
                .jvmArgs("-XX:DumpLoadedClassList=" + classList)
                .args("serve", "--node-id=1", "--peers=1=127.0.0.1:" + freePort(), "--host=127.0.0.1",
                        "--port=" + freePort(), "--data=" + work.resolve("data-" + System.nanoTime()))
                .start()) {
            node.awaitLine(line -> line.contains(" listening on http://"), MAKE_TIMEOUT);
            node.signal("TERM");
            node.awaitExit(MAKE_TIMEOUT);
        }
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        Process dump = new ProcessBuilder(javaCommand("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + partial, "-cp", jarPath))
                .redirectErrorStream(true).redirectOutput(work.resolve("dump.log").toFile()).start();
        try {
            if (!dump.waitFor(MAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || dump.exitValue() != 0) {
                dump.destroyForcibly();
                throw new IOException("-Xshare:dump failed; see " + work.resolve("dump.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + JvmProcess.jvmOptionsFile());
        command.addAll(List.of(args));
        return command;
    }

    private static int freePort() {
        return FreePorts.pick();
    }
}
