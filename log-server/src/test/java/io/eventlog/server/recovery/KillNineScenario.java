package io.eventlog.server.recovery;

import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.server.node.Durability;
import io.eventlog.server.node.EventLogNode;
import io.eventlog.server.node.NodeConfig;
import io.eventlog.server.testing.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * One crash cycle against a real process: an {@link AppendWorkload} child appends to {@code dir} under
 * load, is killed with SIGKILL at a seeded random moment, and the node is reopened here and checked
 * with {@link CrashVerifier}. Then the unacknowledged appends that carried an Idempotency-Key are
 * retried (each must come back as its original result if it was stored, or append once if not), more
 * entries are appended (they must follow the last entry), the node is closed and reopened once more,
 * and the log must be identical.
 */
final class KillNineScenario {

    /** Figures of one cycle. */
    record Result(int cycle, Durability durability, long killAfterMillis, boolean killedBeforeOpen,
                  CrashVerifier.Summary afterKill, long reopenMillis, long firstAppendMillis,
                  int keyedRetries, int keyedRetriesDeduplicated, List<Entry> finalLog) {
        @Override
        public String toString() {
            return "cycle " + cycle + " " + durability + ": killed " + killAfterMillis + " ms after "
                    + (killedBeforeOpen ? "start (before the node opened)" : "the first acks") + "; "
                    + afterKill.ackedAppends() + " acked appends (" + afterKill.ackedEntries() + " entries), "
                    + afterKill.unackedPresent() + " unacked but stored, " + afterKill.unackedAbsent()
                    + " unacked and absent; log " + afterKill.entries() + " entries; reopen " + reopenMillis
                    + " ms, first append " + firstAppendMillis + " ms; keyed retries " + keyedRetries + " ("
                    + keyedRetriesDeduplicated + " deduplicated); partial batches " + afterKill.partialBatches();
        }
    }

    private KillNineScenario() {
    }

    /**
     * @param baseline      the log as it was before this cycle (empty for a new directory)
     * @param earlyKillRate how often (0..1) to kill at a random moment from the child's start, which
     *                      may be while it opens and replays, instead of under load
     */
    static Result run(Path dir, Durability durability, long seed, int cycle, List<Entry> baseline,
                      double earlyKillRate, Path logs) {
        SplittableRandom random = new SplittableRandom(seed);
        Path stdout = logs.resolve("workload-" + cycle + ".out");
        String context = "seed " + seed + " cycle " + cycle + " " + durability + " (child stdout " + stdout + ")";
        boolean early = random.nextDouble() < earlyKillRate;
        long killAfter;
        Transcript transcript;
        try (JvmProcess child = JvmProcess.builder(AppendWorkload.class)
                .name("workload-" + cycle)
                .stderrTo(logs.resolve("workload-" + cycle + ".log"))
                .stdoutTo(stdout)
                // The JVM's own messages (warnings, ...) go to stderr too: stdout carries only the protocol.
                .jvmArgs("-XX:+DisplayVMOutputToStderr")
                .args("data=" + dir, "durability=" + durability, "seed=" + random.nextLong(),
                        "appenders=" + (2 + random.nextInt(4)), "streams=" + (1 + random.nextInt(12)),
                        "prefix=r" + cycle, "inflight=" + (1 + random.nextInt(32)))
                .start()) {
            if (early) {
                killAfter = random.nextLong(3_000);
                sleep(killAfter);
            } else {
                child.awaitLine(l -> l.startsWith("OPENED"), Duration.ofSeconds(60));
                child.awaitLineCount(l -> l.startsWith("ACK"), 20, Duration.ofSeconds(60));
                killAfter = random.nextLong(Long.getLong("crash.maxKillDelayMillis", 400));
                sleep(killAfter);
            }
            CrashVerifier.check(child.isAlive(), context, "the workload died by itself: " + child.describe());
            child.kill9();
            transcript = Transcript.parse(child.lines(), child.tornTail());
            // Only the workload writes to the child's stdout, a whole line at a time.
            CrashVerifier.check(transcript.foreign.isEmpty(), context, "the child's stdout has "
                    + transcript.foreign.size() + " lines that are not the protocol: "
                    + transcript.foreign.stream().limit(3).toList());
            CrashVerifier.check(transcript.errors.isEmpty(), context, "appends failed in the child: "
                    + transcript.errors.values().stream().limit(3).toList());
        }

        NodeConfig config = NodeConfig.defaults(dir).withDurability(durability);
        long started = System.nanoTime();
        EventLogNode opened = EventLogNode.open(config);
        long reopenMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        EventLogNode node = opened;
        try {
            CrashVerifier.Summary summary = CrashVerifier.verify(node, baseline, transcript, context);
            // A batch is all or nothing across a crash (PartialBatchTest): replay drops one cut short.
            CrashVerifier.check(summary.partialBatches().isEmpty(), context,
                    "a batch survived the crash in part (all-or-nothing broken): " + summary.partialBatches());

            // Retry the keyed appends that were sent but never acknowledged, as a client would.
            Map<String, List<Entry>> stored = entriesById(CrashVerifier.readLog(node));
            int retries = 0;
            int deduplicated = 0;
            long firstAppendMillis = -1;
            Transcript all = copy(transcript);
            for (WorkloadEvents.Sent sent : transcript.sent.values()) {
                List<Entry> partial = stored.get(sent.id());
                if (sent.key() == null || transcript.acked.containsKey(sent.id())
                        || partial != null && partial.size() != sent.count()) {
                    // (a retry of a partly stored batch would store its first events twice: the known bug)
                    continue;
                }
                long t0 = System.nanoTime();
                AppendResult r = node.append(sent.stream(), sent.events(), sent.options()).block();
                if (firstAppendMillis < 0) {
                    firstAppendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                }
                retries++;
                List<Entry> original = stored.get(sent.id());
                if (original != null) {
                    deduplicated++;
                    Entry first = original.get(0);
                    Entry last = original.get(original.size() - 1);
                    CrashVerifier.check(r.equals(new AppendResult(sent.stream(), last.offset(), last.version(),
                            first.offset(), first.version(), original.size())), context, "retry of stored keyed "
                            + "append " + sent + " returned " + r + ", the log holds " + original);
                }
                all.acked.put(sent.id(), r);
            }

            // More appends go after the last entry, each stream's versions go on.
            long last = node.lastOffset();
            List<WorkloadEvents.Sent> more = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                more.add(new WorkloadEvents.Sent("p" + cycle + "-" + i, "s" + (i % 5), 1 + i % 3,
                        i % 4 == 0 ? "k-p" + cycle + "-" + i : null));
            }
            long t0 = System.nanoTime();
            EventLogNode live = node;
            List<AppendResult> results = Flux.fromIterable(more)
                    .flatMapSequential(s -> live.append(s.stream(), s.events(), s.options()), 8)
                    .collectList().block();
            if (firstAppendMillis < 0) {
                firstAppendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
            for (int i = 0; i < more.size(); i++) {
                CrashVerifier.check(results.get(i).firstOffset() > last, context, "append after reopen got "
                        + results.get(i) + " but the log already ended at " + last);
                all.sent.put(more.get(i).id(), more.get(i));
                all.acked.put(more.get(i).id(), results.get(i));
            }
            CrashVerifier.verify(node, baseline, all, context + " after appending more");
            List<Entry> before = CrashVerifier.readLog(node);
            node.close();

            node = EventLogNode.open(config);
            List<Entry> after = CrashVerifier.readLog(node);
            CrashVerifier.check(before.equals(after), context, "a further restart changed the log: "
                    + before.size() + " entries before, " + after.size() + " after");
            CrashVerifier.verify(node, baseline, all, context + " after a further restart");
            return new Result(cycle, durability, killAfter, early && transcript.openMillis < 0, summary,
                    reopenMillis, firstAppendMillis, retries, deduplicated, after);
        } finally {
            node.close();
        }
    }

    static Map<String, List<Entry>> entriesById(List<Entry> log) {
        Map<String, List<Entry>> byId = new LinkedHashMap<>();
        for (Entry e : log) {
            WorkloadEvents.EntryId id = WorkloadEvents.idOf(e);
            if (id != null) {
                byId.computeIfAbsent(id.id(), k -> new ArrayList<>()).add(e);
            }
        }
        return byId;
    }

    private static Transcript copy(Transcript t) {
        Transcript copy = new Transcript();
        copy.sent.putAll(t.sent);
        copy.acked.putAll(t.acked);
        copy.tornSent.addAll(t.tornSent);
        copy.foreign.addAll(t.foreign);
        copy.lines.addAll(t.lines);
        copy.tornTail = t.tornTail;
        return copy;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
