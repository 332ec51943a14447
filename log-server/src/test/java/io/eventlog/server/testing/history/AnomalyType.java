package io.eventlog.server.testing.history;

/**
 * What {@link HistoryChecker} looks for: the anomalies of Jepsen's Kafka workload, adapted to eventlog
 * (one global log with per-stream versions, read whole from each node after the faults are healed).
 */
public enum AnomalyType {
    /** An acknowledged append, or an entry a subscription delivered, is missing from a node's final read. */
    LOST_WRITE("lost-write"),
    /** An acknowledged append is in a final read, but not at the offset, stream and version it was acknowledged with. */
    MISPLACED_WRITE("misplaced-write"),
    /** One payload at two offsets (an append applied twice). */
    DUPLICATE("duplicate"),
    /** One offset with two different entries, across nodes, reads, deliveries and acknowledgements. */
    INCONSISTENT_OFFSETS("inconsistent-offsets"),
    /** An append that definitely failed is readable (Adya's G1a). */
    ABORTED_READ("aborted-read"),
    /** A payload that no append sent is readable. */
    UNWRITTEN_READ("unwritten-read"),
    /** A subscription delivered a position not above the one before (also across a resume). */
    NONMONOTONIC_POLL("nonmonotonic-poll"),
    /** A subscription skipped an entry of its stream or log that the final reads hold. */
    POLL_SKIP("poll-skip"),
    /** Offsets of a final read do not strictly increase. */
    NONMONOTONIC_READ("nonmonotonic-read"),
    /** A stream's versions in a final read are not 0, 1, 2, ... in log order. */
    VERSION_GAP("version-gap"),
    /** Two nodes' final reads differ. */
    DIVERGENT_READS("divergent-reads"),
    /** The history has no final read, so nothing it wrote can be checked. */
    NO_FINAL_READ("no-final-read");

    private final String code;

    AnomalyType(String code) {
        this.code = code;
    }

    /** The name in reports, Jepsen style. */
    public String code() {
        return code;
    }
}
