package io.eventlog.server.testing.history;

import io.eventlog.server.testing.history.Op.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * lost-write and misplaced-write: what a client was told is committed (an acknowledged append, an entry a
 * subscription delivered) is in the final read of every node, and an acknowledged append is there at the
 * offset, stream and version it was acknowledged with.
 */
final class AcknowledgedWriteRule implements HistoryRule {

    @Override
    public void check(HistoryIndex history, List<Anomaly> found) {
        List<Map<String, List<EntryRef>>> reads = history.finalReads().stream().map(AcknowledgedWriteRule::byPayload)
                .toList();
        Map<String, List<Op>> committed = new LinkedHashMap<>();
        history.acknowledgements().forEach(ack -> committed.computeIfAbsent(ack.payload(), p -> new ArrayList<>()).add(ack));
        history.deliveries().forEach(d -> committed.computeIfAbsent(d.payload(), p -> new ArrayList<>()).add(d));

        committed.forEach((payload, evidence) -> {
            List<Op> missingFrom = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                if (!reads.get(i).containsKey(payload)) {
                    missingFrom.add(history.finalReads().get(i));
                }
            }
            if (!missingFrom.isEmpty()) {
                Op first = evidence.get(0);
                List<Op> ops = new ArrayList<>(evidence);
                ops.addAll(missingFrom);
                found.add(new Anomaly(AnomalyType.LOST_WRITE, payload + ", "
                        + (first.type() == Type.APPEND ? "acknowledged" : "delivered")
                        + " at offset " + first.offset() + ", is missing from "
                        + missingFrom.stream().map(HistoryIndex::readName).toList(), ops));
            }
        });

        for (Op ack : history.acknowledgements()) {
            EntryRef acknowledged = new EntryRef(ack.offset(), ack.stream(), ack.version(), ack.payload());
            for (int i = 0; i < reads.size(); i++) {
                List<EntryRef> stored = reads.get(i).getOrDefault(ack.payload(), List.of());
                if (stored.stream().anyMatch(e -> !e.equals(acknowledged))) {
                    Op read = history.finalReads().get(i);
                    found.add(new Anomaly(AnomalyType.MISPLACED_WRITE, "acknowledged as " + acknowledged + ", but "
                            + HistoryIndex.readName(read) + " has " + stored, List.of(ack, read)));
                }
            }
        }
    }

    private static Map<String, List<EntryRef>> byPayload(Op read) {
        Map<String, List<EntryRef>> byPayload = new HashMap<>();
        read.entries().forEach(e -> byPayload.computeIfAbsent(e.payload(), p -> new ArrayList<>()).add(e));
        return byPayload;
    }
}
