package io.eventlog.server.testing.history;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The final reads themselves: there is one at least; each is a well-formed log (offsets strictly increase,
 * each stream's versions are 0, 1, 2, ... in log order); and all are identical (the nodes converged).
 */
final class FinalReadRule implements HistoryRule {

    @Override
    public void check(HistoryIndex history, List<Anomaly> found) {
        List<Op> reads = history.finalReads();
        if (reads.isEmpty()) {
            found.add(new Anomaly(AnomalyType.NO_FINAL_READ, "none of the " + history.opCount()
                    + " ops is a completed final read, so no write can be checked", List.of()));
            return;
        }
        reads.forEach(read -> checkWellFormed(read, found));
        Op first = reads.get(0);
        for (Op other : reads.subList(1, reads.size())) {
            int at = firstDifference(first.entries(), other.entries());
            if (at >= 0) {
                found.add(new Anomaly(AnomalyType.DIVERGENT_READS, HistoryIndex.readName(first) + " and "
                        + HistoryIndex.readName(other) + " differ first at position " + at + ": "
                        + entryAt(first.entries(), at) + " vs " + entryAt(other.entries(), at) + " ("
                        + first.entries().size() + " vs " + other.entries().size() + " entries)",
                        List.of(first, other)));
            }
        }
    }

    private static void checkWellFormed(Op read, List<Anomaly> found) {
        List<EntryRef> entries = read.entries();
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).offset() <= entries.get(i - 1).offset()) {
                found.add(new Anomaly(AnomalyType.NONMONOTONIC_READ, HistoryIndex.readName(read) + " has "
                        + entries.get(i) + " after " + entries.get(i - 1), List.of(read)));
                break;
            }
        }
        Map<String, Long> nextVersion = new HashMap<>();
        Set<String> reported = new HashSet<>();
        for (EntryRef e : entries) {
            long due = nextVersion.getOrDefault(e.stream(), 0L);
            if (e.version() != due && reported.add(e.stream())) {
                found.add(new Anomaly(AnomalyType.VERSION_GAP, HistoryIndex.readName(read) + " has " + e + " where "
                        + e.stream() + " v" + due + " was due", List.of(read)));
            }
            nextVersion.put(e.stream(), e.version() + 1);
        }
    }

    private static int firstDifference(List<EntryRef> a, List<EntryRef> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return a.size() == b.size() ? -1 : Math.min(a.size(), b.size());
    }

    private static String entryAt(List<EntryRef> entries, int i) {
        return i < entries.size() ? entries.get(i).toString() : "(the end)";
    }
}
