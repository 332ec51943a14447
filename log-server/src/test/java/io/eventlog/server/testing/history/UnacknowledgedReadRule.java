package io.eventlog.server.testing.history;

import io.eventlog.server.testing.history.HistoryIndex.Attempt;
import io.eventlog.server.testing.history.HistoryIndex.Observation;
import io.eventlog.server.testing.history.Op.Phase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * aborted-read and unwritten-read: nothing is readable that was not written. A payload whose every append
 * attempt definitely failed is never read or delivered (an indeterminate attempt may have happened, so a
 * payload with one is allowed), nor is a payload that no append sent.
 */
final class UnacknowledgedReadRule implements HistoryRule {

    @Override
    public void check(HistoryIndex history, List<Anomaly> found) {
        Map<String, OpSet> readBy = new LinkedHashMap<>();
        for (Observation seen : history.observations()) {
            readBy.computeIfAbsent(seen.entry().payload(), p -> new OpSet()).add(seen.source());
        }
        readBy.forEach((payload, readers) -> {
            List<Attempt> attempts = history.attempts().get(payload);
            if (attempts == null) {
                found.add(new Anomaly(AnomalyType.UNWRITTEN_READ, payload + " was never appended, yet it is read",
                        readers.toList()));
            } else if (attempts.stream().allMatch(a -> a.outcome() == Phase.FAIL)) {
                OpSet ops = new OpSet();
                attempts.forEach(a -> ops.add(a.completion()));
                ops.addAll(readers);
                found.add(new Anomaly(AnomalyType.ABORTED_READ, payload + " is read, but every append of it failed ("
                        + attempts.stream().map(a -> a.completion().error()).toList() + ")", ops.toList()));
            }
        });
    }
}
