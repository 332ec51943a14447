package io.eventlog.server.recovery;

import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ReadRequest;
import io.eventlog.server.node.EventLogNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a reopened node against what a crashed {@link AppendWorkload} child acknowledged:
 * <ul>
 * <li>the entries that were there before the child started ({@code baseline}) are the log's unchanged prefix;</li>
 * <li>offsets are dense from 1, versions of each stream dense from 0, in log order;</li>
 * <li>every entry after the baseline is an event the child sent, with exactly the data it sent, stored once;</li>
 * <li>every acknowledged append is present exactly once at its acknowledged offsets and versions;</li>
 * <li>an append that was not acknowledged is either wholly present, at consecutive offsets, or absent
 *     (all or nothing holds across a crash too);</li>
 * <li>reading each stream gives the same entries as the log, and the node's last offset is the log's end.</li>
 * </ul>
 */
public final class CrashVerifier {

    /** Figures of one check. */
    public record Summary(int entries, int ackedAppends, long ackedEntries, int unackedPresent, int unackedAbsent,
                   List<String> partialBatches) {
    }

    private CrashVerifier() {
    }

    public static List<Entry> readLog(EventLogNode node) {
        return node.read(ReadRequest.log(0, Integer.MAX_VALUE)).collectList().block();
    }

    public static Summary verify(EventLogNode node, List<Entry> baseline, Transcript transcript, String context) {
        List<Entry> log = readLog(node);
        check(log.size() >= baseline.size(), context, "the log has " + log.size() + " entries, fewer than the "
                + baseline.size() + " there before the crash run");
        for (int i = 0; i < baseline.size(); i++) {
            check(baseline.get(i).equals(log.get(i)), context, "entry " + i + " before the run was "
                    + baseline.get(i) + ", now " + log.get(i));
        }
        Map<String, Long> nextVersion = new HashMap<>();
        Map<String, List<Entry>> byStream = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            Entry e = log.get(i);
            check(e.offset() == i + 1, context, "offset " + e.offset() + " at position " + i + " (offsets must be "
                    + "dense from 1 on a single node): " + e);
            long expectedVersion = nextVersion.getOrDefault(e.stream(), 0L);
            check(e.version() == expectedVersion, context, "stream " + e.stream() + " has version " + e.version()
                    + " where " + expectedVersion + " was due: " + e);
            nextVersion.put(e.stream(), expectedVersion + 1);
            byStream.computeIfAbsent(e.stream(), s -> new ArrayList<>()).add(e);
        }

        Map<String, List<Entry>> byId = new LinkedHashMap<>();
        Set<WorkloadEvents.EntryId> seen = new HashSet<>();
        Map<String, WorkloadEvents.Sent> sentById = sentIncludingTorn(log, baseline.size(), transcript);
        for (int i = baseline.size(); i < log.size(); i++) {
            Entry e = log.get(i);
            WorkloadEvents.EntryId id = WorkloadEvents.idOf(e);
            check(id != null, context, "entry that the workload never writes: " + e);
            WorkloadEvents.Sent sent = sentById.get(id.id());
            check(sent != null, context, "entry of an append that was never sent: " + e + "; the child's stdout "
                    + "mentions " + id.id() + " in " + transcript.linesMentioning(id.id(), 5) + "; "
                    + transcript.foreign.size() + " non-protocol lines " + transcript.foreign.stream().limit(3).toList()
                    + ", torn tail [" + transcript.tornTail + "]");
            check(id.index() < sent.count() && sent.stream().equals(e.stream()), context,
                    "entry does not fit its append " + sent + ": " + e);
            check(WorkloadEvents.matches(e, id), context, "entry's data differs from what was sent: " + e);
            check(seen.add(id), context, "event stored twice: " + id + ", again at " + e);
            byId.computeIfAbsent(id.id(), k -> new ArrayList<>()).add(e);
        }

        List<String> partial = new ArrayList<>();
        for (Map.Entry<String, List<Entry>> group : byId.entrySet()) {
            List<Entry> entries = group.getValue();
            WorkloadEvents.Sent sent = sentById.get(group.getKey());
            if (entries.size() != sent.count()) {
                partial.add(sent + " has " + entries.size() + " of its " + sent.count() + " entries, offsets "
                        + entries.stream().map(Entry::offset).toList()
                        + (transcript.acked.containsKey(sent.id()) ? " (acknowledged!)" : " (not acknowledged)"));
                continue;
            }
            for (int i = 0; i < entries.size(); i++) {
                check(WorkloadEvents.idOf(entries.get(i)).index() == i
                                && entries.get(i).offset() == entries.get(0).offset() + i, context,
                        "append " + sent + " is not stored in order at consecutive offsets: " + entries);
            }
        }

        long ackedEntries = 0;
        for (Map.Entry<String, AppendResult> ack : transcript.acked.entrySet()) {
            AppendResult r = ack.getValue();
            List<Entry> entries = byId.get(ack.getKey());
            check(entries != null, context, "acknowledged append " + ack.getKey() + " " + r + " is lost");
            check(sentById.containsKey(ack.getKey()), context, "acknowledged append " + ack.getKey() + " was never sent");
            check(entries.size() == r.count() && r.count() == sentById.get(ack.getKey()).count(), context,
                    "acknowledged append " + ack.getKey() + " " + r + " has " + entries.size() + " entries");
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                check(e.offset() == r.firstOffset() + i && e.version() == r.firstVersion() + i
                                && e.stream().equals(r.stream()), context,
                        "acknowledged append " + ack.getKey() + " " + r + " is stored differently: " + e);
            }
            check(entries.get(entries.size() - 1).offset() == r.offset()
                    && entries.get(entries.size() - 1).version() == r.version(), context, "result " + r + " vs " + entries);
            ackedEntries += entries.size();
        }

        for (Map.Entry<String, List<Entry>> stream : byStream.entrySet()) {
            List<Entry> read = node.read(ReadRequest.stream(stream.getKey(), 0, Integer.MAX_VALUE)).collectList()
                    .block();
            check(stream.getValue().equals(read), context, "reading stream " + stream.getKey() + " gives "
                    + read.size() + " entries, the log holds " + stream.getValue().size());
        }
        long last = log.isEmpty() ? -1 : log.get(log.size() - 1).offset();
        check(node.lastOffset() == last, context, "the node's last offset " + node.lastOffset() + " is not the log's "
                + last);

        int unackedPresent = 0;
        int unackedAbsent = 0;
        for (String id : transcript.sent.keySet()) {
            if (!transcript.acked.containsKey(id)) {
                if (byId.containsKey(id)) {
                    unackedPresent++;
                } else {
                    unackedAbsent++;
                }
            }
        }
        return new Summary(log.size(), transcript.acked.size(), ackedEntries, unackedPresent, unackedAbsent, partial);
    }

    /**
     * The sent appends, plus those whose SENT line the kill cut short before its count (they count as
     * sent; as their size is unknown, it is taken as what the log holds of them).
     */
    private static Map<String, WorkloadEvents.Sent> sentIncludingTorn(List<Entry> log, int from,
                                                                       Transcript transcript) {
        Map<String, WorkloadEvents.Sent> sent = new HashMap<>(transcript.sent);
        for (String torn : transcript.tornSent) {
            if (sent.containsKey(torn)) {
                continue;
            }
            List<Entry> stored = log.subList(from, log.size()).stream()
                    .filter(e -> WorkloadEvents.idOf(e) != null && torn.equals(WorkloadEvents.idOf(e).id())).toList();
            if (!stored.isEmpty()) {
                sent.put(torn, new WorkloadEvents.Sent(torn, stored.get(0).stream(), stored.size(), null));
            }
        }
        return sent;
    }

    static void check(boolean condition, String context, String message) {
        if (!condition) {
            throw new AssertionError(context + ": " + message);
        }
    }
}
