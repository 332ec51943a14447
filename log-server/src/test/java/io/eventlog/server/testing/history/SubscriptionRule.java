package io.eventlog.server.testing.history;

import io.eventlog.server.testing.history.Op.Phase;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * nonmonotonic-poll and poll-skip: each subscription (one id, across its resumes, on any node) is delivered
 * positions that strictly increase (offsets for the global log, versions for a stream), and skips none
 * that the final reads hold in its stream or log: not between two deliveries, and not between where a
 * start or resume asked to begin ({@code from}, or after {@code Last-Event-ID}) and what came first.
 */
final class SubscriptionRule implements HistoryRule {
    private static final int SKIPPED_SHOWN = 5;

    @Override
    public void check(HistoryIndex history, List<Anomaly> found) {
        history.subscriptions().forEach((id, ops) -> check(id, ops, history.finalReads(), found));
    }

    private static void check(String id, List<Op> ops, List<Op> finalReads, List<Anomaly> found) {
        String stream = ops.get(0).stream(); // the stream subscribed to, from the first invoke; null: the log
        boolean inStream = stream != null;
        NavigableSet<Long> committed = new TreeSet<>();
        for (Op read : finalReads) {
            read.entries().stream().filter(e -> !inStream || e.stream().equals(stream))
                    .forEach(e -> committed.add(e.position(inStream)));
        }
        String unit = inStream ? stream + " version " : "offset ";
        Op last = null;
        boolean firstOfSegment = false;
        Long askedFrom = null; // where the current start or resume asked to begin; null: at the end (live only)
        for (Op op : ops) {
            if (op.phase() == Phase.INVOKE) {
                askedFrom = op.from() != null ? op.from() : op.lastEventId() != null ? op.lastEventId() + 1 : null;
                firstOfSegment = true;
                continue;
            }
            long position = op.deliveredEntry().position(inStream);
            long lastPosition = last == null ? -1 : last.deliveredEntry().position(inStream);
            if (last != null && position <= lastPosition) {
                found.add(new Anomaly(AnomalyType.NONMONOTONIC_POLL, "subscription " + id + " was delivered "
                        + unit + position + " after " + unit + lastPosition, List.of(last, op)));
            } else if (!firstOfSegment || askedFrom != null) {
                long from = firstOfSegment ? Math.max(askedFrom, lastPosition + 1) : lastPosition + 1;
                NavigableSet<Long> skipped = committed.subSet(from, true, position, false);
                if (!skipped.isEmpty()) {
                    found.add(new Anomaly(AnomalyType.POLL_SKIP, "subscription " + id + " went to " + unit + position
                            + (firstOfSegment ? " first, asked to begin at " + unit + askedFrom
                                    : " from " + unit + lastPosition)
                            + ", skipping " + skipped.size() + " that the final reads hold: "
                            + skipped.stream().limit(SKIPPED_SHOWN).toList(),
                            last == null ? List.of(op) : List.of(last, op)));
                }
            }
            last = op;
            firstOfSegment = false;
        }
    }
}
