package io.eventlog.server.replicated;

import io.eventlog.api.AppendResult;
import io.eventlog.server.streams.EventStateMachine;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What a leader has proposed and not applied yet, so that it decides each new append against its
 * applied state plus its own uncommitted appends: a stream's last version counting them, and their
 * Idempotency-Keys. A leader never loses its own proposals while it leads; when it stops leading the
 * overlay is cleared and its proposals end as the log decides (committed or lost).
 */
final class LeaderOverlay {

    /** An append proposed at {@code lastIndex} in {@code term}, with the result it gets once committed. */
    record Proposed(long lastIndex, long term, AppendResult result) {
    }

    /** A proposal as it was recorded, to forget it again once applied. */
    private record Recorded(Proposed append, String key) {
    }

    private final Map<String, Long> lastVersions = new HashMap<>();
    private final Map<String, Map<String, Proposed>> keys = new HashMap<>();
    /** Every proposal, in index order: pruning looks at the applied ones only, not at all in flight. */
    private final ArrayDeque<Recorded> inIndexOrder = new ArrayDeque<>();

    /** The stream's last version counting proposed appends, or {@link EventStateMachine#NO_PENDING_VERSION}. */
    long lastVersion(String stream) {
        Long version = lastVersions.get(stream);
        return version == null ? EventStateMachine.NO_PENDING_VERSION : version;
    }

    /** The proposed append that recorded {@code key} on {@code stream}, or null. */
    Proposed withKey(String stream, String key) {
        Map<String, Proposed> streamKeys = keys.get(stream);
        return streamKeys == null ? null : streamKeys.get(key);
    }

    void proposed(Proposed append, String idempotencyKey) {
        lastVersions.put(append.result().stream(), append.result().version());
        if (idempotencyKey != null) {
            keys.computeIfAbsent(append.result().stream(), s -> new HashMap<>()).put(idempotencyKey, append);
        }
        inIndexOrder.add(new Recorded(append, idempotencyKey));
    }

    /**
     * Forgets what the applied state now holds: appends applied up to {@code appliedIndex}. (The
     * overlay is cleared whenever leadership changes, so each of them was applied as proposed.)
     */
    void prune(long appliedIndex) {
        Recorded head;
        while ((head = inIndexOrder.peek()) != null && head.append.lastIndex() <= appliedIndex) {
            inIndexOrder.poll();
            String stream = head.append.result().stream();
            lastVersions.remove(stream, head.append.result().version()); // unless a later proposal moved it on
            if (head.key != null) {
                Map<String, Proposed> streamKeys = keys.get(stream);
                if (streamKeys != null && streamKeys.remove(head.key, head.append) && streamKeys.isEmpty()) {
                    keys.remove(stream);
                }
            }
        }
    }

    void clear() {
        lastVersions.clear();
        keys.clear();
        inIndexOrder.clear();
    }
}
