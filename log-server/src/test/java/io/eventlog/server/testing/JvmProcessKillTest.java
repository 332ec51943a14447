package io.eventlog.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JvmProcess#kill9()} keeps what the child wrote before it died even if this side had not read it
 * yet. (It used {@link Process#destroyForcibly()}, which on Linux also closes the pipes: the unread last
 * lines were lost, and the crash tests saw appends that had been sent as never sent.)
 */
class JvmProcessKillTest {
    @TempDir
    Path dir;

    /** Writes READY, waits for the file {@code go}, writes 1000 lines, creates {@code written}, sleeps. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            System.out.println("READY");
            System.out.flush();
            while (!Files.exists(dir.resolve("go"))) {
                Thread.sleep(5);
            }
            for (int i = 0; i < 1000; i++) {
                System.out.println("line " + i);
            }
            System.out.flush();
            Files.createFile(dir.resolve("written"));
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void linesWrittenBeforeTheKillButNotYetReadAreKept() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Path out = dir.resolve("stdout");
        try (JvmProcess child = JvmProcess.builder(Writer.class).args(dir.toString()).stdoutTo(out)
                .onLine(line -> {
                    if (line.equals("READY")) { // holds the reader thread: what follows stays in the pipe
                        awaitQuietly(release);
                    }
                }).start()) {
            waitFor(() -> child.lineCount() == 1);
            Files.createFile(dir.resolve("go"));
            waitFor(() -> Files.exists(dir.resolve("written")));
            CompletableFuture<Void> killed = CompletableFuture.runAsync(child::kill9);
            waitFor(() -> !child.isAlive());
            Thread.sleep(200); // the child is gone and its last 1000 lines are still unread
            release.countDown();
            killed.get(60, TimeUnit.SECONDS);

            List<String> expected = IntStream.range(0, 1000).mapToObj(i -> "line " + i).toList();
            assertEquals(expected, child.lines().subList(1, child.lines().size()));
            assertEquals("", child.tornTail());
            assertEquals("READY\n" + String.join("\n", expected) + "\n", Files.readString(out));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
