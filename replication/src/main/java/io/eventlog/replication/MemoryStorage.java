package io.eventlog.replication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link RaftStorage} in memory, for tests and benchmarks. Not thread-safe. */
public final class MemoryStorage implements RaftStorage {

    private HardState hardState = HardState.EMPTY;
    private SnapshotMeta snapshot;
    private byte[] snapshotData = new byte[0];
    /** entries.get(k) has index snapshot.index() + 1 + k. */
    private final ArrayList<Entry> entries = new ArrayList<>();

    public MemoryStorage(SnapshotMeta start) {
        this.snapshot = start;
    }

    /** Storage for a member of a new cluster with the given voters. */
    public static MemoryStorage bootstrap(long... voters) {
        return new MemoryStorage(SnapshotMeta.bootstrap(ClusterConfig.ofVoters(voters)));
    }

    /** Storage for a node that will join an existing cluster: it knows no members until the leader tells it. */
    public static MemoryStorage joining() {
        return new MemoryStorage(SnapshotMeta.bootstrap(ClusterConfig.EMPTY));
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return snapshot;
    }

    @Override
    public long lastIndex() {
        return snapshot.index() + entries.size();
    }

    @Override
    public long term(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        return at(index).term();
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        if (from <= snapshot.index() || to > lastIndex() + 1 || from >= to) {
            throw new IllegalArgumentException("entries [" + from + ", " + to + ") outside (" + snapshot.index()
                    + ", " + lastIndex() + "]");
        }
        int lo = (int) (from - snapshot.index() - 1);
        int hi = (int) (to - snapshot.index() - 1);
        long bytes = 0;
        int end = lo;
        while (end < hi) {
            long size = entries.get(end).sizeInBytes();
            if (end > lo && bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end++;
        }
        return List.copyOf(entries.subList(lo, end));
    }

    @Override
    public long snapshotSize() {
        return snapshotData.length;
    }

    @Override
    public byte[] snapshotChunk(long offset, int maxBytes) {
        int from = (int) Math.min(offset, snapshotData.length);
        int to = (int) Math.min((long) from + maxBytes, snapshotData.length);
        return Arrays.copyOfRange(snapshotData, from, to);
    }

    /** The current snapshot's data. */
    public byte[] snapshotData() {
        return snapshotData.clone();
    }

    @Override
    public void append(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long expected = lastIndex() + 1;
        if (batch.get(0).index() != expected) {
            throw new IllegalArgumentException("append at " + batch.get(0).index() + ", expected " + expected);
        }
        entries.addAll(batch);
    }

    @Override
    public void supersedeFrom(long index) {
        if (index <= snapshot.index()) {
            throw new IllegalArgumentException("cannot supersede " + index + " at or below snapshot " + snapshot.index());
        }
        int keep = (int) Math.min(entries.size(), index - snapshot.index() - 1);
        entries.subList(keep, entries.size()).clear();
    }

    @Override
    public void saveHardState(HardState state) {
        this.hardState = state;
    }

    @Override
    public void installSnapshot(SnapshotMeta meta, byte[] data) {
        entries.clear();
        snapshot = meta;
        snapshotData = data.clone();
    }

    @Override
    public void compact(SnapshotMeta meta, byte[] data) {
        if (meta.index() <= snapshot.index()) {
            return;
        }
        if (meta.index() > lastIndex()) {
            throw new IllegalArgumentException("compact at " + meta.index() + " beyond last index " + lastIndex());
        }
        entries.subList(0, (int) (meta.index() - snapshot.index())).clear();
        snapshot = meta;
        snapshotData = data.clone();
    }

    private Entry at(long index) {
        if (index <= snapshot.index() || index > lastIndex()) {
            throw new IllegalArgumentException("index " + index + " outside (" + snapshot.index() + ", " + lastIndex() + "]");
        }
        return entries.get((int) (index - snapshot.index() - 1));
    }
}
