package io.eventlog.server.testing.history;

import java.util.List;

/** One family of checks over a history. */
interface HistoryRule {
    /** Adds to {@code found} every anomaly of its kinds in {@code history}. */
    void check(HistoryIndex history, List<Anomaly> found);
}
