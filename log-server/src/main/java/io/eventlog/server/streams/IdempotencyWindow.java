package io.eventlog.server.streams;

import io.eventlog.api.AppendResult;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results of successful appends that carried an Idempotency-Key, per stream and key, kept for a
 * window of time measured on entry timestamps. Used by the writer thread only.
 */
final class IdempotencyWindow {
    private record Remembered(AppendResult result, long timestamp) {
    }

    private final long windowMillis;
    /** Insertion order is timestamp order, so expiry only ever looks at the head. */
    private final LinkedHashMap<String, Remembered> byKey = new LinkedHashMap<>();

    IdempotencyWindow(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    AppendResult find(String stream, String key, long now) {
        expire(now);
        Remembered remembered = byKey.get(compositeKey(stream, key));
        return remembered == null ? null : remembered.result();
    }

    /**
     * Expires what the new key's timestamp leaves behind first, so that replaying a long log holds
     * only the window's worth of keys, as the running node does.
     */
    void remember(String stream, String key, AppendResult result, long timestamp) {
        expire(timestamp);
        byKey.put(compositeKey(stream, key), new Remembered(result, timestamp));
    }

    int size() {
        return byKey.size();
    }

    private void expire(long now) {
        Iterator<Map.Entry<String, Remembered>> it = byKey.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().timestamp() <= now - windowMillis) {
            it.remove();
        }
    }

    private static String compositeKey(String stream, String key) {
        return stream + '\u0000' + key;
    }
}
