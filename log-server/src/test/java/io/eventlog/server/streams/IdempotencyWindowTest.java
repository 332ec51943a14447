package io.eventlog.server.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eventlog.api.AppendResult;
import org.junit.jupiter.api.Test;

class IdempotencyWindowTest {

    private static AppendResult result(long offset) {
        return new AppendResult("s", offset, 0, offset, 0, 1);
    }

    @Test
    void keysLiveForTheWindowOnStreamAndKey() {
        IdempotencyWindow window = new IdempotencyWindow(1000);
        window.remember("s", "k", result(1), 10_000);
        assertEquals(result(1), window.find("s", "k", 10_999));
        assertNull(window.find("t", "k", 10_999));
        assertNull(window.find("s", "k", 11_000));
    }

    @Test
    void rememberingExpiresOlderKeysSoReplayingALongLogHoldsOnlyTheWindow() {
        IdempotencyWindow window = new IdempotencyWindow(1000);
        for (int i = 0; i < 100_000; i++) {
            window.remember("s", "k" + i, result(i), i * 10L);
        }
        // The last second of a log whose keys are 10 ms apart: 100 keys.
        assertEquals(100, window.size());
    }
}
