package io.eventlog.server.testing.history;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link HistoryChecker} found: the anomalies, and figures of the history that say how much it
 * proves (a history of timeouts only is valid and proves little).
 *
 * @param anomalies     every anomaly found
 * @param appendsOk     acknowledged append attempts
 * @param appendsFailed append attempts that definitely failed
 * @param appendsUnsure append attempts with an indeterminate outcome, or none
 * @param finalReads    final reads of the log
 * @param deliveries    entries delivered to subscriptions
 */
public record CheckReport(List<Anomaly> anomalies, int appendsOk, int appendsFailed, int appendsUnsure,
                          int finalReads, int deliveries) {

    public CheckReport {
        anomalies = List.copyOf(anomalies);
    }

    public boolean isValid() {
        return anomalies.isEmpty();
    }

    public List<Anomaly> anomalies(AnomalyType type) {
        return anomalies.stream().filter(a -> a.type() == type).toList();
    }

    /** The kinds of anomaly found, with how many of each. */
    public Map<AnomalyType, Integer> counts() {
        Map<AnomalyType, Integer> counts = new EnumMap<>(AnomalyType.class);
        anomalies.forEach(a -> counts.merge(a.type(), 1, Integer::sum));
        return counts;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(isValid() ? "valid" : "INVALID: " + anomalies.size() + " anomalies");
        if (!isValid()) {
            text.append(' ');
            counts().forEach((type, n) -> text.append(type.code()).append(' ').append(n).append(", "));
            text.setLength(text.length() - 2);
        }
        text.append("; appends: ").append(appendsOk).append(" ok, ").append(appendsFailed).append(" failed, ")
                .append(appendsUnsure).append(" indeterminate; ").append(finalReads).append(" final reads; ")
                .append(deliveries).append(" deliveries");
        anomalies.forEach(a -> text.append('\n').append(a));
        return text.toString();
    }
}
