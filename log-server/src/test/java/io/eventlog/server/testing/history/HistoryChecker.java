package io.eventlog.server.testing.history;

import io.eventlog.server.testing.history.HistoryIndex.Attempt;
import io.eventlog.server.testing.history.Op.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link History} the way Jepsen's Kafka workload checks its queue, adapted to eventlog: every
 * {@link AnomalyType} is one rule. The history must end with a final read ({@code READ_LOG}) of every
 * node, taken after the faults are healed and the writers stopped; the rules about "every node" apply to
 * the nodes read, so one node is a cluster of one.
 *
 * <pre>{@code
 * CheckReport report = HistoryChecker.check(history.ops());
 * assertTrue(report.isValid(), report::toString);
 * }</pre>
 */
public final class HistoryChecker {
    private static final List<HistoryRule> RULES = List.of(new FinalReadRule(), new AcknowledgedWriteRule(),
            new UnacknowledgedReadRule(), new OffsetRule(), new SubscriptionRule());

    private HistoryChecker() {
    }

    public static CheckReport check(List<Op> history) {
        HistoryIndex index = new HistoryIndex(history);
        List<Anomaly> found = new ArrayList<>();
        RULES.forEach(rule -> rule.check(index, found));
        List<Attempt> attempts = index.attempts().values().stream().flatMap(List::stream).toList();
        int ok = count(attempts, Phase.OK);
        int failed = count(attempts, Phase.FAIL);
        return new CheckReport(found, ok, failed, attempts.size() - ok - failed, index.finalReads().size(),
                index.deliveries().size());
    }

    private static int count(List<Attempt> attempts, Phase outcome) {
        return (int) attempts.stream().filter(a -> a.outcome() == outcome).count();
    }
}
