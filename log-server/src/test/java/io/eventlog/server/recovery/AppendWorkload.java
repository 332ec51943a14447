package io.eventlog.server.recovery;

import io.eventlog.api.AppendResult;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.eventlog.server.node.Durability;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child process of the crash tests: opens an {@link EventLogNode} on a data directory and appends
 * from several concurrent appenders (single events and small batches, several streams, some with an
 * Idempotency-Key) until it is killed, reporting on stdout, one line each:
 * <pre>
 * OPENED &lt;lastOffset&gt; &lt;open millis&gt;
 * SENT &lt;id&gt; &lt;stream&gt; &lt;count&gt; &lt;key or -&gt;                      before the append is submitted
 * ACK &lt;id&gt; &lt;stream&gt; &lt;firstOffset&gt; &lt;offset&gt; &lt;firstVersion&gt; &lt;version&gt; &lt;count&gt;   after it is acknowledged
 * ERR &lt;id&gt; &lt;message&gt;                                        when it fails
 * DONE &lt;appends&gt;                                            after --limit appends are all answered
 * </pre>
 * Each line goes out in one write(2) of the line with its newline, under one lock, so lines of
 * different threads never mix and a kill cannot cut a line (a pipe write of up to 4 KiB is atomic).
 * A SENT line is written before its append is issued, so every append that can reach the log has its
 * complete SENT line in the transcript. Nothing else writes to stdout: {@code System.out} is sent to
 * stderr here, and the tests start this JVM with {@code -XX:+DisplayVMOutputToStderr}.
 * Arguments (key=value): data, durability (PROCESS|FSYNC), seed, appenders, streams, prefix (makes ids
 * unique across runs on one directory), inflight (per appender), limit (stop sending after that many
 * appends, then stay alive until killed; 0 = no limit), checkpointEvery (entries between checkpoints;
 * default as {@link CheckpointConfig#defaults()}).
 */
public final class AppendWorkload {
    /** The protocol's stream: fd 1 without any buffer, one write(2) per {@link #print}. */
    private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);
    /** Longest line written, in chars (UTF-8: at most 3 bytes each): below PIPE_BUF (4096), so each write is atomic. */
    private static final int MAX_LINE = 1300;

    private AppendWorkload() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        // Only the protocol goes to fd 1: whatever else prints to System.out goes to stderr.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Path data = Path.of(args.get("data"));
        Durability durability = Durability.valueOf(args.getOrDefault("durability", "PROCESS"));
        long seed = Long.parseLong(args.getOrDefault("seed", "1"));
        int appenders = Integer.parseInt(args.getOrDefault("appenders", "4"));
        int streams = Integer.parseInt(args.getOrDefault("streams", "8"));
        String prefix = args.getOrDefault("prefix", "r0");
        int inflight = Integer.parseInt(args.getOrDefault("inflight", "16"));
        int limit = Integer.parseInt(args.getOrDefault("limit", "0"));
        CheckpointConfig checkpoints = CheckpointConfig.defaults();
        checkpoints = checkpoints.withEveryEntries(Long.parseLong(args.getOrDefault("checkpointEvery",
                Long.toString(checkpoints.everyEntries()))));

        long started = System.nanoTime();
        EventLogNode node = EventLogNode.open(NodeConfig.defaults(data).withDurability(durability)
                .withCheckpoints(checkpoints));
        print("OPENED " + node.lastOffset() + " " + (System.nanoTime() - started) / 1_000_000);

        AtomicInteger sent = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(limit > 0 ? limit : 1);
        Thread[] threads = new Thread[appenders];
        for (int w = 0; w < appenders; w++) {
            int worker = w;
            threads[w] = new Thread(() -> appendLoop(node, new SplittableRandom(seed * 1_000_003 + worker),
                    prefix + "-" + worker, streams, inflight, limit, sent, answered), "appender-" + w);
            threads[w].start();
        }
        if (limit > 0) {
            answered.await();
            print("DONE " + limit);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Thread.sleep(Long.MAX_VALUE); // until killed
    }

    private static void appendLoop(EventLogNode node, SplittableRandom random, String idPrefix, int streams,
                                   int inflight, int limit, AtomicInteger sent, CountDownLatch answered) {
        Semaphore permits = new Semaphore(inflight);
        for (long seq = 0; ; seq++) {
            if (limit > 0 && sent.incrementAndGet() > limit) {
                return;
            }
            String id = idPrefix + "-" + seq;
            String stream = "s" + random.nextInt(streams);
            int count = random.nextInt(10) < 6 ? 1 : 2 + random.nextInt(4);
            String key = random.nextInt(10) < 3 ? "k-" + id : null;
            WorkloadEvents.Sent append = new WorkloadEvents.Sent(id, stream, count, key);
            permits.acquireUninterruptibly();
            print("SENT " + id + " " + stream + " " + count + " " + (key == null ? "-" : key));
            node.append(stream, append.events(), append.options()).subscribe(
                    result -> {
                        print(ack(id, result));
                        permits.release();
                        answered.countDown();
                    },
                    error -> {
                        print("ERR " + id + " " + error.toString().replace('\n', ' '));
                        permits.release();
                        answered.countDown();
                    });
        }
    }

    static String ack(String id, AppendResult r) {
        return "ACK " + id + " " + r.stream() + " " + r.firstOffset() + " " + r.offset() + " " + r.firstVersion()
                + " " + r.version() + " " + r.count();
    }

    private static void print(String line) {
        String safe = line.replace('\n', ' ').replace('\r', ' ');
        byte[] bytes = (safe.length() > MAX_LINE ? safe.substring(0, MAX_LINE) : safe).concat("\n")
                .getBytes(StandardCharsets.UTF_8);
        synchronized (OUT) {
            try {
                OUT.write(bytes); // one write(2) of the whole line
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
