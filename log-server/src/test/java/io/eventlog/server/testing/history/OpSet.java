package io.eventlog.server.testing.history;

import java.util.List;
import java.util.TreeMap;

/**
 * Ops without repeats, in history order. Keyed by index: comparing ops whole would compare the
 * thousands of entries of a final read each time.
 */
final class OpSet {
    private final TreeMap<Long, Op> ops = new TreeMap<>();

    void add(Op op) {
        ops.put(op.index(), op);
    }

    void addAll(OpSet other) {
        ops.putAll(other.ops);
    }

    List<Op> toList() {
        return List.copyOf(ops.values());
    }
}
