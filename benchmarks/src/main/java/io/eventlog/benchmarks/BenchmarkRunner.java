package io.eventlog.benchmarks;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks with JMH's usual command line ({@code -f 1 -wi 3 -i 5 -w 2s -r 2s <regex>}),
 * and gives every forked JVM the flags Chronicle Queue needs, from the one file that holds them:
 * {@code @<repo>/config/jvm.options}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 -w 2s -r 2s storage.AppendBenchmark</pre>
 *
 * The repository root is, in this order: {@code -Deventlog.root}, {@code $EVENTLOG_ROOT}, the first
 * ancestor of this jar (or class folder) holding {@code config/jvm.options}, the first such ancestor
 * of the working directory.
 */
public final class BenchmarkRunner {
    private static final String OPTIONS_FILE = "config/jvm.options";

    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws Exception {
        List<String> list = Arrays.asList(args);
        if (list.contains("-h") || list.contains("-l") || list.contains("-lp") || list.contains("-lrf")
                || list.contains("-lprof")) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        CommandLineOptions cli = new CommandLineOptions(args);
        List<String> append = new ArrayList<>();
        cli.getJvmArgsAppend().orElse(List.of()).forEach(append::add);
        append.add("@" + jvmOptionsFile());
        Options options = new OptionsBuilder().parent(cli).jvmArgsAppend(append.toArray(String[]::new)).build();
        new Runner(options).run();
    }

    /** The absolute path of {@code config/jvm.options}; fails with a clear message if it cannot be found. */
    public static Path jvmOptionsFile() {
        return repoRoot().resolve(OPTIONS_FILE);
    }

    public static Path repoRoot() {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty("eventlog.root");
        if (property != null) {
            return requireRoot(Path.of(property), tried);
        }
        String env = System.getenv("EVENTLOG_ROOT");
        if (env != null) {
            return requireRoot(Path.of(env), tried);
        }
        Path found = null;
        try {
            Path code = Path.of(BenchmarkRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            found = ancestorWithOptions(code, tried);
        } catch (URISyntaxException | RuntimeException e) {
            // fall back to the working directory
        }
        if (found == null) {
            found = ancestorWithOptions(Path.of("").toAbsolutePath(), tried);
        }
        if (found == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with " + OPTIONS_FILE
                    + "); looked in " + tried + ". Set -Deventlog.root=<repo> or EVENTLOG_ROOT.");
        }
        return found;
    }

    private static Path requireRoot(Path root, Collection<Path> tried) {
        Path absolute = root.toAbsolutePath().normalize();
        tried.add(absolute);
        if (!Files.isRegularFile(absolute.resolve(OPTIONS_FILE))) {
            throw new IllegalStateException(absolute + " has no " + OPTIONS_FILE);
        }
        return absolute;
    }

    private static Path ancestorWithOptions(Path start, Collection<Path> tried) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            tried.add(p);
            if (Files.isRegularFile(p.resolve(OPTIONS_FILE))) {
                return p;
            }
        }
        return null;
    }
}
