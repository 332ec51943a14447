package io.eventlog.server.streams;

import io.eventlog.api.AppendResult;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Takes {@code other}'s remembered appends, dropping its own. */
    void replaceWith(IdempotencyWindow other) {
        byKey.clear();
        byKey.putAll(other.byKey);
    }

    /** Puts back an append a checkpoint remembered, after those put back before it; nothing expires here. */
    void restore(RememberedAppend remembered) {
        byKey.put(compositeKey(remembered.stream(), remembered.key()),
                new Remembered(remembered.result(), remembered.timestamp()));
    }

    /**
     * The remembered appends, oldest first, for a checkpoint; called by the writer thread. It copies
     * two arrays only: each {@link RememberedAppend} is made when the list is read, off the writer.
     */
    List<RememberedAppend> snapshot() {
        String[] keys = new String[byKey.size()];
        Remembered[] values = new Remembered[keys.length];
        int i = 0;
        for (Map.Entry<String, Remembered> entry : byKey.entrySet()) {
            keys[i] = entry.getKey();
            values[i++] = entry.getValue();
        }
        return new AbstractList<>() {
            @Override
            public RememberedAppend get(int index) {
                AppendResult result = values[index].result();
                String key = keys[index].substring(result.stream().length() + 1);
                return new RememberedAppend(key, result, values[index].timestamp());
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
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
