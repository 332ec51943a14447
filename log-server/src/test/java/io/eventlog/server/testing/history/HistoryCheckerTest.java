package io.eventlog.server.testing.history;

import static io.eventlog.server.testing.history.AnomalyType.ABORTED_READ;
import static io.eventlog.server.testing.history.AnomalyType.DIVERGENT_READS;
import static io.eventlog.server.testing.history.AnomalyType.DUPLICATE;
import static io.eventlog.server.testing.history.AnomalyType.INCONSISTENT_OFFSETS;
import static io.eventlog.server.testing.history.AnomalyType.LOST_WRITE;
import static io.eventlog.server.testing.history.AnomalyType.MISPLACED_WRITE;
import static io.eventlog.server.testing.history.AnomalyType.NONMONOTONIC_POLL;
import static io.eventlog.server.testing.history.AnomalyType.NONMONOTONIC_READ;
import static io.eventlog.server.testing.history.AnomalyType.NO_FINAL_READ;
import static io.eventlog.server.testing.history.AnomalyType.POLL_SKIP;
import static io.eventlog.server.testing.history.AnomalyType.UNWRITTEN_READ;
import static io.eventlog.server.testing.history.AnomalyType.VERSION_GAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link HistoryChecker} on synthetic histories: a valid one passes, each anomaly is caught and named. */
class HistoryCheckerTest {
    private static final String A = "http://127.0.0.1:7001";
    private static final String B = "http://127.0.0.1:7002";

    private final History history = History.inMemory();

    @Test
    void aValidHistoryWithEveryKindOfOutcomePasses() {
        acked("a1", "s1", 1, 0);
        failed("a2", "s1"); // definitely not applied, and absent
        history.fault(A, "kill -9 node 1"); // the nemesis: dates a fault, not checked
        Op unsure = history.invokeAppend("w2", A, "s2", "a3");
        history.info(unsure, "timed out"); // indeterminate, and applied
        history.info(history.invokeAppend("w2", A, "s2", "a4"), "connection reset"); // indeterminate, not applied
        history.info(history.invokeAppend("w3", A, "s1", "a5"), "timed out"); // retried with its key: one entry
        acked("a5", "s1", 3, 1);
        history.invokeAppend("w4", A, "s2", "a6"); // never completed (the run was killed): applied

        history.info(subscribe(A, "sub-1", null, 0L, null, e(1, "s1", 0, "a1")), "connection lost");
        subscribe(B, "sub-1", null, null, 1L, e(2, "s2", 0, "a3"), e(3, "s1", 1, "a5"));
        subscribe(B, "sub-2", "s2", 0L, null, e(2, "s2", 0, "a3"), e(5, "s2", 1, "a6"));

        List<EntryRef> log = List.of(e(1, "s1", 0, "a1"), e(2, "s2", 0, "a3"), e(3, "s1", 1, "a5"),
                e(5, "s2", 1, "a6"));
        finalRead(A, log);
        finalRead(B, log);

        CheckReport report = HistoryChecker.check(history.ops());
        assertTrue(report.isValid(), report::toString);
        assertEquals(2, report.appendsOk());
        assertEquals(1, report.appendsFailed());
        assertEquals(4, report.appendsUnsure());
        assertEquals(2, report.finalReads());
        assertEquals(5, report.deliveries());
        assertTrue(report.toString().startsWith("valid;"), report::toString);
    }

    @Test
    void anAcknowledgedAppendMissingFromOneNodeIsALostWrite() {
        acked("a1", "s1", 1, 0);
        acked("a2", "s1", 2, 1);
        finalRead(A, List.of(e(1, "s1", 0, "a1"), e(2, "s1", 1, "a2")));
        finalRead(B, List.of(e(1, "s1", 0, "a1")));

        CheckReport report = assertFound(LOST_WRITE, DIVERGENT_READS);
        Anomaly lost = report.anomalies(LOST_WRITE).get(0);
        assertTrue(lost.description().startsWith("a2, acknowledged at offset 2, is missing from [the final read of "
                + B), lost::toString);
    }

    @Test
    void anEntryASubscriptionWasDeliveredThatNoFinalReadHoldsIsALostWrite() {
        history.info(history.invokeAppend("w1", A, "s1", "a1"), "timed out");
        subscribe(A, "sub-1", null, 1L, null, e(1, "s1", 0, "a1")); // delivered, so committed: it must survive
        finalRead(A, List.of());

        assertTrue(assertFound(LOST_WRITE).anomalies(LOST_WRITE).get(0).description().contains("delivered at offset 1"));
    }

    @Test
    void anAcknowledgedAppendStoredElsewhereIsAMisplacedWrite() {
        acked("a1", "s1", 1, 0);
        finalRead(A, List.of(e(2, "s1", 0, "a1")));

        assertFound(MISPLACED_WRITE);
    }

    @Test
    void aPayloadAtTwoOffsetsIsADuplicate() {
        history.info(history.invokeAppend("w1", A, "s1", "a1"), "timed out"); // indeterminate: at most once
        finalRead(A, List.of(e(1, "s1", 0, "a1"), e(2, "s1", 1, "a1")));

        assertFound(DUPLICATE);
    }

    @Test
    void oneOffsetWithTwoEntriesOnTwoNodesIsInconsistentOffsets() {
        history.info(history.invokeAppend("w1", A, "s1", "a1"), "timed out");
        history.info(history.invokeAppend("w2", B, "s1", "a2"), "timed out");
        finalRead(A, List.of(e(1, "s1", 0, "a1")));
        finalRead(B, List.of(e(1, "s1", 0, "a2")));

        CheckReport report = assertFound(INCONSISTENT_OFFSETS, DIVERGENT_READS);
        assertTrue(report.toString().contains("inconsistent-offsets: offset 1 holds different entries"),
                report::toString);
    }

    @Test
    void aDefinitelyFailedAppendThatIsReadIsAnAbortedRead() {
        failed("a1", "s1");
        finalRead(A, List.of(e(1, "s1", 0, "a1")));

        assertFound(ABORTED_READ);
    }

    @Test
    void aPayloadNobodyAppendedIsAnUnwrittenRead() {
        finalRead(A, List.of(e(1, "s1", 0, "ghost")));

        assertFound(UNWRITTEN_READ);
    }

    @Test
    void aResumeThatDeliversAnOffsetAgainIsANonmonotonicPoll() {
        List<EntryRef> log = appendedAndAcked(3);
        subscribe(A, "sub-1", null, 1L, null, log.get(0), log.get(1));
        subscribe(B, "sub-1", null, null, 2L, log.get(1), log.get(2));
        finalRead(A, log);

        assertFound(NONMONOTONIC_POLL);
    }

    @Test
    void aSubscriptionThatJumpsOverAnEntryIsAPollSkip() {
        List<EntryRef> log = appendedAndAcked(3);
        subscribe(A, "sub-1", null, 1L, null, log.get(0), log.get(2));
        finalRead(A, log);

        assertFound(POLL_SKIP);
    }

    @Test
    void aResumeOnAnotherNodeThatStartsPastTheLastEventIdIsAPollSkip() {
        List<EntryRef> log = appendedAndAcked(3);
        history.info(subscribe(A, "sub-1", null, 1L, null, log.get(0)), "connection reset");
        subscribe(B, "sub-1", null, null, 1L, log.get(2));
        finalRead(A, log);

        CheckReport report = assertFound(POLL_SKIP);
        assertTrue(report.toString().contains("skipping 1 that the final reads hold: [2]"), report::toString);
    }

    @Test
    void aStreamSubscriptionIsCheckedByVersionWithinItsStream() {
        acked("a1", "s1", 1, 0);
        acked("b1", "s2", 2, 0); // another stream between: not a skip of s1
        acked("a2", "s1", 3, 1);
        acked("a3", "s1", 4, 2);
        subscribe(A, "sub-1", "s1", 0L, null, e(1, "s1", 0, "a1"), e(4, "s1", 2, "a3"));
        finalRead(A, List.of(e(1, "s1", 0, "a1"), e(2, "s2", 0, "b1"), e(3, "s1", 1, "a2"), e(4, "s1", 2, "a3")));

        CheckReport report = assertFound(POLL_SKIP);
        assertTrue(report.toString().contains("went to s1 version 2 from s1 version 0"), report::toString);
    }

    @Test
    void offsetsGoingBackInAReadAreANonmonotonicRead() {
        ackedAndRead(e(2, "s1", 0, "a1"), e(1, "s2", 0, "a2"));

        assertFound(NONMONOTONIC_READ);
    }

    @Test
    void aStreamWhoseVersionsAreNotDenseIsAVersionGap() {
        ackedAndRead(e(1, "s1", 0, "a1"), e(2, "s1", 2, "a2"));

        assertFound(VERSION_GAP);
    }

    @Test
    void nodesWithDifferentLogsAreDivergentReads() {
        acked("a1", "s1", 1, 0);
        history.info(history.invokeAppend("w2", A, "s1", "a2"), "timed out");
        finalRead(A, List.of(e(1, "s1", 0, "a1")));
        finalRead(B, List.of(e(1, "s1", 0, "a1"), e(2, "s1", 1, "a2")));

        CheckReport report = assertFound(DIVERGENT_READS);
        assertTrue(report.toString().contains("differ first at position 1: (the end) vs a2@2 (s1 v1)"),
                report::toString);
    }

    @Test
    void aHistoryWithoutAFinalReadProvesNothing() {
        acked("a1", "s1", 1, 0);

        assertFound(NO_FINAL_READ);
    }

    /** The report names exactly these kinds of anomaly, and says so in its text. */
    private CheckReport assertFound(AnomalyType... expected) {
        CheckReport report = HistoryChecker.check(history.ops());
        assertEquals(Set.of(expected), report.counts().keySet(), report::toString);
        for (AnomalyType type : expected) {
            assertTrue(report.toString().contains("\n" + type.code() + ": "), report::toString);
        }
        assertTrue(report.toString().startsWith("INVALID"), report::toString);
        return report;
    }

    /** n acknowledged appends a1..an on stream s at offsets 1..n, and the log that holds them. */
    private List<EntryRef> appendedAndAcked(int n) {
        List<EntryRef> log = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            acked("a" + i, "s", i, i - 1);
            log.add(e(i, "s", i - 1, "a" + i));
        }
        return log;
    }

    /** Each entry acknowledged where it is, and a final read of node A that holds them in this order. */
    private void ackedAndRead(EntryRef... entries) {
        for (EntryRef e : entries) {
            acked(e.payload(), e.stream(), e.offset(), e.version());
        }
        finalRead(A, List.of(entries));
    }

    private void acked(String payload, String stream, long offset, long version) {
        history.appendOk(history.invokeAppend("w-" + payload, A, stream, payload), stream, offset, version);
    }

    private void failed(String payload, String stream) {
        history.fail(history.invokeAppend("w-" + payload, A, stream, payload), "400 invalid_json");
    }

    /** A subscription starts or resumes on {@code node} and is delivered {@code entries}. */
    private Op subscribe(String node, String id, String stream, Long from, Long lastEventId, EntryRef... entries) {
        Op invoke = history.invokeSubscribe("reader-" + id, node, id, stream, from, lastEventId);
        for (EntryRef entry : entries) {
            history.delivered(invoke, entry);
        }
        return invoke;
    }

    private void finalRead(String node, List<EntryRef> entries) {
        history.readLogOk(history.invokeReadLog("final", node), entries);
    }

    private static EntryRef e(long offset, String stream, long version, String payload) {
        return new EntryRef(offset, stream, version, payload);
    }
}
