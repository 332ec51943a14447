package io.eventlog.server.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.AppendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyWindowTest {

    private static IdempotencyWindow windowOf(long millis) {
        return windowOf(millis, IdempotencyLimits.DEFAULT_MAX_KEYS);
    }

    private static IdempotencyWindow windowOf(long millis, int maxKeys) {
        return new IdempotencyWindow(new IdempotencyLimits(Duration.ofMillis(millis), maxKeys));
    }

    private static AppendResult result(long offset) {
        return new AppendResult("s", offset, 0, offset, 0, 1);
    }

    @Test
    void keysLiveForTheWindowOnStreamAndKey() {
        IdempotencyWindow window = windowOf(1000);
        window.remember("s", "k", result(1), 10_000);
        assertEquals(result(1), window.find("s", "k", 10_999));
        assertNull(window.find("t", "k", 10_999));
        assertNull(window.find("s", "k", 11_000));
    }

    @Test
    void rememberingExpiresOlderKeysSoReplayingALongLogHoldsOnlyTheWindow() {
        IdempotencyWindow window = windowOf(1000);
        for (int i = 0; i < 100_000; i++) {
            window.remember("s", "k" + i, result(i), i * 10L);
        }
        // The last second of a log whose keys are 10 ms apart: 100 keys.
        assertEquals(100, window.size());
    }

    @Test
    void keysWithTheSameHashAreToldApartAndExpireAlone() {
        // "Aa" and "BB" have the same String.hashCode, and so do all strings made of them.
        IdempotencyWindow window = windowOf(100);
        String[] keys = {"AaAa", "AaBB", "BBAa", "BBBB"};
        for (int i = 0; i < keys.length; i++) {
            window.remember("s", keys[i], result(i + 1), i * 10L);
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals(result(i + 1), window.find("s", keys[i], 35), keys[i]);
        }
        assertNull(window.find("s", "AaAa", 105), "the oldest expired");
        assertEquals(result(2), window.find("s", "AaBB", 105));
        assertEquals(result(4), window.find("s", "BBBB", 105));
        assertEquals(3, window.size());
    }

    @Test
    void pastItsBoundOnKeysTheOldestGoFirstWhateverTheirAge() {
        IdempotencyWindow window = windowOf(60_000, 3);
        for (int i = 1; i <= 5; i++) {
            window.remember("s", "k" + i, result(i), i);
        }
        assertEquals(3, window.size());
        assertEquals(2, window.droppedByBound());
        assertNull(window.find("s", "k1", 6));
        assertNull(window.find("s", "k2", 6));
        assertEquals(result(3), window.find("s", "k3", 6));
        assertEquals(result(5), window.find("s", "k5", 6));

        window.remember("s", "k3", result(33), 7); // a key again keeps its place: nothing goes
        assertEquals(result(4), window.find("s", "k4", 8));
        assertNull(window.find("s", "k5", 60_010), "expired by age");
        assertEquals(2, window.droppedByBound(), "expiry by age is not counted");
    }

    @Test
    void restoringMoreKeysThanTheBoundKeepsTheNewest() {
        IdempotencyWindow large = windowOf(60_000, 10);
        for (int i = 1; i <= 10; i++) {
            large.remember("s", "k" + i, result(i), i);
        }
        IdempotencyWindow small = windowOf(60_000, 4);
        large.snapshot().forEach(small::restore);

        List<String> kept = small.snapshot().stream().map(RememberedAppend::key).toList();
        assertEquals(List.of("k7", "k8", "k9", "k10"), kept);
    }

    /** The window against a plain map of the same rules, over random keys, streams and times. */
    @ParameterizedTest(name = "at most {0} keys")
    @ValueSource(ints = {IdempotencyLimits.DEFAULT_MAX_KEYS, 100})
    void behavesAsAMapOfStreamAndKeyThatForgetsByTimeAndCount(int maxKeys) {
        SplittableRandom random = new SplittableRandom(42);
        IdempotencyWindow window = windowOf(500, maxKeys);
        Map<List<String>, Remembered> model = new LinkedHashMap<>();
        long now = 0;
        int largest = 0;
        for (int step = 0; step < 200_000; step++) {
            now += random.nextInt(3);
            String stream = "s" + random.nextInt(5);
            String key = random.nextBoolean() ? "k" + random.nextInt(400) : (random.nextBoolean() ? "Aa" : "BB") + random.nextInt(20);
            expire(model, now);
            if (random.nextInt(3) == 0) {
                AppendResult result = new AppendResult(stream, step + 4L, step, step + 2L, step - 2L, 3);
                window.remember(stream, key, result, now);
                if (!model.containsKey(List.of(stream, key)) && model.size() == maxKeys) {
                    model.remove(model.keySet().iterator().next());
                }
                model.put(List.of(stream, key), new Remembered(result, now)); // an existing key keeps its place
            } else {
                Remembered expected = model.get(List.of(stream, key));
                assertEquals(expected == null ? null : expected.result(), window.find(stream, key, now), "step " + step);
            }
            assertEquals(model.size(), window.size(), "step " + step);
            largest = Math.max(largest, model.size());
        }
        assertTrue(largest < maxKeys || largest == 100, "the bound on keys was reached: " + largest);
        List<RememberedAppend> snapshot = window.snapshot();
        List<RememberedAppend> expected = new ArrayList<>();
        model.forEach((k, v) -> expected.add(new RememberedAppend(k.get(1), v.result(), v.timestamp())));
        assertEquals(expected, snapshot, "oldest first");

        IdempotencyWindow restored = windowOf(500, maxKeys);
        snapshot.forEach(restored::restore);
        IdempotencyWindow copy = windowOf(500, maxKeys);
        copy.replaceWith(restored);
        for (Map.Entry<List<String>, Remembered> entry : model.entrySet()) {
            assertEquals(entry.getValue().result(), copy.find(entry.getKey().get(0), entry.getKey().get(1), now));
        }
        assertEquals(expected, copy.snapshot());
    }

    private record Remembered(AppendResult result, long timestamp) {
    }

    /** As the window does: oldest first, while at or past the window (insertion order). */
    private static void expire(Map<List<String>, Remembered> model, long now) {
        Iterator<Remembered> it = model.values().iterator();
        while (it.hasNext() && it.next().timestamp() <= now - 500) {
            it.remove();
        }
    }
}
