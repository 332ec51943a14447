package io.eventlog.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real bin/eventlog in a copy of the repository layout, with a fake {@code java} (JAVA_HOME) that
 * prints its working directory and arguments, and a fake {@code mvn} on the PATH that records that it ran.
 */
@Timeout(60)
class LauncherScriptTest {
    private static final Instant OLD = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2021-01-01T00:00:00Z");

    @TempDir
    Path temp;
    private Path root;
    private Path jar;
    private Path source;
    private Path userDir;
    private Path mvnLog;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(temp.resolve("my repo"));
        Path repository = Path.of(System.getProperty("eventlog.root", ".."));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(repository.resolve("bin/eventlog"), root.resolve("bin/eventlog"));
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/jvm.options"), "-Dx=1\n");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        source = write(root.resolve("log-server/src/main/java/A.java"), "class A {}", OLD);
        jar = write(root.resolve("log-server/target/eventlog.jar"), "jar", NEW);
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(OLD));
        userDir = Files.createDirectories(temp.resolve("elsewhere"));
        mvnLog = temp.resolve("mvn.log");
        executable(temp.resolve("tools/mvn"), "#!/usr/bin/env bash\necho \"$PWD $*\" >> '" + mvnLog + "'\n"
                + "echo 'maven chatter'\ntouch log-server/target/eventlog.jar\n");
        fakeJava("17.0.15");
    }

    @Test
    void runsTheJarFromTheCallersDirectoryWithoutBuildingWhenUpToDate() throws Exception {
        Run run = run(Map.of(), "serve", "--data", "./data");

        assertEquals(0, run.exitCode, run.err);
        assertEquals("", run.err);
        assertEquals(List.of("cwd=" + userDir.toRealPath(), "@" + root.toRealPath() + "/config/jvm.options",
                "-jar", root.toRealPath() + "/log-server/target/eventlog.jar", "serve", "--data", "./data"), run.lines());
        assertFalse(Files.exists(mvnLog), "no build");
    }

    @Test
    void buildsFirstWhenASourceIsNewerThanTheJar() throws Exception {
        Files.setLastModifiedTime(source, FileTime.from(Instant.parse("2022-01-01T00:00:00Z")));

        Run run = run(Map.of(), "cluster");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(List.of(root.toRealPath() + " -q -DskipTests package -pl log-server -am"),
                Files.readAllLines(mvnLog));
        assertTrue(run.err.startsWith("eventlog: building "), run.err);
        assertTrue(run.err.contains("maven chatter"), "maven's output goes to stderr: " + run.err);
        assertEquals("cluster", run.lines().get(run.lines().size() - 1), "then runs: " + run.out);
    }

    @Test
    void buildsFirstWhenThePomIsNewerOrTheJarIsMissing() throws Exception {
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.parse("2022-01-01T00:00:00Z")));
        assertEquals(0, run(Map.of(), "cluster").exitCode);
        Files.delete(jar);
        assertEquals(0, run(Map.of(), "cluster").exitCode);

        assertEquals(2, Files.readAllLines(mvnLog).size());
    }

    @Test
    void addsTheJdk24FlagsAndExtraOptions() throws Exception {
        fakeJava("25.0.1");

        Run run = run(Map.of("EVENTLOG_JAVA_OPTS", "-Xmx2g  -Dname=value"), "read", "s");

        assertEquals(0, run.exitCode, run.err);
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx2g", "-Dname=value", "-jar"), run.lines().subList(2, 7));
    }

    @Test
    void worksThroughASymlink() throws Exception {
        Path link = Files.createSymbolicLink(temp.resolve("tools/eventlog"), root.resolve("bin/eventlog"));

        Run run = run(link, Map.of(), "--version");

        assertEquals(0, run.exitCode, run.err);
        assertEquals("@" + root.toRealPath() + "/config/jvm.options", run.lines().get(1));
    }

    private void fakeJava(String version) throws IOException {
        executable(temp.resolve("jdk/bin/java"), "#!/usr/bin/env bash\n"
                + "if [[ \"$1\" == -version ]]; then echo 'openjdk version \"" + version + "\" 2025-01-01' >&2; exit 0; fi\n"
                + "echo \"cwd=$PWD\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
    }

    private record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        return run(root.resolve("bin/eventlog"), env, args);
    }

    private Run run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(userDir.toFile());
        builder.environment().put("JAVA_HOME", temp.resolve("jdk").toString());
        builder.environment().put("PATH", temp.resolve("tools") + ":" + System.getenv("PATH"));
        builder.environment().remove("EVENTLOG_JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Run(process.exitValue(), out, err);
    }

    private static Path write(Path file, String text, Instant modified) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private static void executable(Path file, String script) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
