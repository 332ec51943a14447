package io.eventlog.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The flow-control window of one follower. */
class InflightsTest {

    @Test
    void theWindowFillsByCountAndAnAckFreesEveryMessageUpToIt() {
        Inflights window = new Inflights(3, Long.MAX_VALUE);
        window.add(10, 100);
        window.add(20, 100);
        window.add(30, 100);
        assertTrue(window.full());

        window.freeUpTo(25);

        assertFalse(window.full());
        assertEquals(1, window.count());
        window.add(40, 100);
        window.add(50, 100);
        assertTrue(window.full(), "the ring wraps around");
    }

    @Test
    void theWindowFillsByBytes() {
        Inflights window = new Inflights(100, 1000);
        window.add(1, 600);
        assertFalse(window.full());
        window.add(2, 400);
        assertTrue(window.full());

        window.freeUpTo(1);
        assertFalse(window.full());
    }

    @Test
    void aStaleAckFreesNothing() {
        Inflights window = new Inflights(2, Long.MAX_VALUE);
        window.add(10, 1);
        window.add(20, 1);

        window.freeUpTo(5);

        assertEquals(2, window.count());
    }
}
