package io.eventlog.server.replicated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.eventlog.api.AppendResult;
import io.eventlog.server.streams.EventStateMachine;
import org.junit.jupiter.api.Test;

class LeaderOverlayTest {

    /** A one-event append of {@code stream} at {@code index}, version {@code version}, in term 3. */
    private static LeaderOverlay.Proposed proposed(String stream, long index, long version) {
        return new LeaderOverlay.Proposed(index, 3, new AppendResult(stream, index, version, index, version, 1));
    }

    @Test
    void answersForProposalsUntilTheyAreApplied() {
        LeaderOverlay overlay = new LeaderOverlay();
        LeaderOverlay.Proposed a1 = proposed("a", 10, 1);
        LeaderOverlay.Proposed b1 = proposed("b", 11, 1);
        LeaderOverlay.Proposed a2 = proposed("a", 12, 2);
        overlay.proposed(a1, "k1");
        overlay.proposed(b1, null);
        overlay.proposed(a2, "k2");
        assertEquals(2, overlay.lastVersion("a"));
        assertEquals(1, overlay.lastVersion("b"));
        assertSame(a1, overlay.withKey("a", "k1"));
        assertNull(overlay.withKey("b", "k1"), "keys are per stream");

        overlay.prune(11);
        assertNull(overlay.withKey("a", "k1"), "applied: the state machine answers for it now");
        assertEquals(EventStateMachine.NO_PENDING_VERSION, overlay.lastVersion("b"));
        assertEquals(2, overlay.lastVersion("a"), "a later proposal of the stream is still pending");
        assertSame(a2, overlay.withKey("a", "k2"));

        overlay.prune(12);
        assertEquals(EventStateMachine.NO_PENDING_VERSION, overlay.lastVersion("a"));
        assertNull(overlay.withKey("a", "k2"));
    }

    @Test
    void aKeyProposedAgainIsKeptUntilItsLastProposalIsApplied() {
        LeaderOverlay overlay = new LeaderOverlay();
        overlay.proposed(proposed("a", 5, 1), "k");
        LeaderOverlay.Proposed again = proposed("a", 6, 2);
        overlay.proposed(again, "k");
        overlay.prune(5);
        assertSame(again, overlay.withKey("a", "k"));
    }

    @Test
    void clearForgetsEverything() {
        LeaderOverlay overlay = new LeaderOverlay();
        overlay.proposed(proposed("a", 5, 1), "k");
        overlay.clear();
        overlay.prune(100);
        assertNull(overlay.withKey("a", "k"));
        assertEquals(EventStateMachine.NO_PENDING_VERSION, overlay.lastVersion("a"));
    }
}
