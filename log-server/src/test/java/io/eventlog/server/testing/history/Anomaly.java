package io.eventlog.server.testing.history;

import java.util.List;

/**
 * One anomaly found in a history.
 *
 * @param type        what kind
 * @param description what is wrong, in words
 * @param ops         the ops that show it
 */
public record Anomaly(AnomalyType type, String description, List<Op> ops) {

    public Anomaly {
        ops = List.copyOf(ops);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(type.code()).append(": ").append(description);
        ops.forEach(op -> text.append("\n    ").append(op));
        return text.toString();
    }
}
