package io.eventlog.replication.sim;

import io.eventlog.replication.Entry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The simulated state machine: a running hash of the applied entries (and, for scenarios, the entries). */
final class App {

    long applied;
    long hash;
    final List<Entry> entries = new ArrayList<>();

    void apply(Entry e, long fingerprint) {
        applied = e.index();
        hash = hash * 1_000_003L + fingerprint;
        entries.add(e);
        if (entries.size() > 10_000) {
            entries.subList(0, 5_000).clear();
        }
    }

    /** A snapshot: index, hash, and some filler so that it takes several chunks. */
    byte[] snapshot() {
        int filler = (int) Math.floorMod(hash, 1500);
        ByteBuffer buf = ByteBuffer.allocate(16 + filler);
        buf.putLong(applied).putLong(hash);
        for (int i = 0; i < filler; i++) {
            buf.put((byte) (hash >>> (i % 56)));
        }
        return buf.array();
    }

    void restore(long index, byte[] data) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        long at = buf.getLong();
        if (at != index) {
            throw new AssertionError("snapshot data for " + at + " installed as " + index);
        }
        applied = index;
        hash = buf.getLong();
        entries.clear();
    }
}
