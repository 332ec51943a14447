package io.eventlog.replication;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the replicated log. The index is also the event's offset: the leader assigns it
 * when it appends, so every replica stores the same entry at the same index.
 *
 * <p>Equality compares the payload's contents, not its identity. The payload is not copied: treat
 * it as immutable once proposed.
 */
public record Entry(long index, long term, EntryKind kind, byte[] payload) {

    /** Bytes counted per entry on top of its payload, for message and flow-control budgets. */
    public static final int OVERHEAD_BYTES = 24;

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        Objects.requireNonNull(kind, "kind");
        if (payload == null) {
            payload = EMPTY;
        }
    }

    public static Entry normal(long index, long term, byte[] payload) {
        return new Entry(index, term, EntryKind.NORMAL, payload);
    }

    public static Entry noop(long index, long term) {
        return new Entry(index, term, EntryKind.NOOP, EMPTY);
    }

    /** The bytes this entry counts for in message size and in-flight budgets. */
    public long sizeInBytes() {
        return payload.length + OVERHEAD_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.index == index && e.term == term && e.kind == kind
                && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, kind, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Entry[" + index + "@" + term + " " + kind + " " + payload.length + "B]";
    }
}
