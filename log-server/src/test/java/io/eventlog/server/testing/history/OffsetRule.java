package io.eventlog.server.testing.history;

import io.eventlog.server.testing.history.HistoryIndex.Observation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * inconsistent-offsets and duplicate: an offset means one entry everywhere (every node's final read, every
 * delivery, every acknowledgement), and a payload is at one offset only (whether its append was
 * acknowledged, indeterminate or retried).
 */
final class OffsetRule implements HistoryRule {

    @Override
    public void check(HistoryIndex history, List<Anomaly> found) {
        Map<Long, Map<EntryRef, OpSet>> byOffset = new TreeMap<>();
        Map<String, Map<Long, OpSet>> offsetsOfPayload = new LinkedHashMap<>();
        for (Observation seen : history.observations()) {
            EntryRef e = seen.entry();
            add(byOffset, e.offset(), e, seen.source());
            add(offsetsOfPayload, e.payload(), e.offset(), seen.source());
        }
        for (Op ack : history.acknowledgements()) {
            add(byOffset, ack.offset(), new EntryRef(ack.offset(), ack.stream(), ack.version(), ack.payload()), ack);
        }

        byOffset.forEach((offset, entries) -> {
            if (entries.size() > 1) {
                found.add(new Anomaly(AnomalyType.INCONSISTENT_OFFSETS, "offset " + offset + " holds different entries: "
                        + entries.keySet(), union(entries.values())));
            }
        });
        offsetsOfPayload.forEach((payload, offsets) -> {
            if (offsets.size() > 1) {
                found.add(new Anomaly(AnomalyType.DUPLICATE, payload + " is at offsets " + offsets.keySet(),
                        union(offsets.values())));
            }
        });
    }

    private static <K, V> void add(Map<K, Map<V, OpSet>> index, K key, V value, Op source) {
        index.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(value, v -> new OpSet()).add(source);
    }

    private static List<Op> union(Iterable<OpSet> sets) {
        OpSet all = new OpSet();
        sets.forEach(all::addAll);
        return all.toList();
    }
}
