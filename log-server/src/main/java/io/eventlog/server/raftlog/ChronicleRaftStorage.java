package io.eventlog.server.raftlog;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.replication.HardState;
import io.eventlog.replication.RaftStorage;
import io.eventlog.replication.Snapshot;
import io.eventlog.replication.SnapshotMeta;
import io.eventlog.server.storage.ChronicleLog;
import io.eventlog.server.storage.Fsync;
import io.eventlog.server.storage.LogReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable Raft log of one node: entries in the node's Chronicle Queue ({@code <data>/log}), one
 * record per entry, and two small files in {@code <data>/raft}: {@code hardstate} (term, vote, commit
 * hint) and {@code snapshot} (the latest snapshot's meta and data).
 *
 * <p>The queue cannot cut its tail, so {@link #supersedeFrom} appends a TRUNCATE marker and the
 * {@link RaftLogIndex} says which record holds each live entry. A NORMAL entry is stored as an EVENT
 * record whose payload is the entry's payload, so the node's event readers serve it as they are.
 *
 * <p>Threads: everything but {@link #index()} lookups must be called from one thread at a time (the
 * Raft thread); the queue's appender and tailer are made by the first call that needs them and
 * follow the calling thread. Appends are not synced: call {@link #sync()} once per batch of writes
 * before reporting them durable, when the node promises durability across power loss.
 *
 * <p>It expects a queue that it wrote itself (see {@link RaftLogScan}).
 */
public final class ChronicleRaftStorage implements RaftStorage, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleRaftStorage.class);
    private static final int RECENT_ENTRIES = 1 << 16;
    private static final long RECENT_ENTRY_BYTES = 16 << 20;
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final HardStateFile hardStateFile;
    private final SnapshotFile snapshotFile;
    private final Path snapshotPath;
    private final RaftLogIndex index;
    private final ConfigEntries configs;
    private final RaftRecordWriter writer;
    private final RaftEntryReader reader;
    /** The newest entries, for the leader to apply and send without reading them back. */
    private final RecentEntries recentEntries = new RecentEntries(RECENT_ENTRIES, RECENT_ENTRY_BYTES);
    private HardStateFile.Contents hardState;
    private Snapshot snapshot;

    private ChronicleRaftStorage(ChronicleLog log, HardStateFile hardStateFile, HardStateFile.Contents hardState,
                                 Path snapshotPath, Snapshot snapshot, RaftLogScan.Result scan) {
        this.hardStateFile = hardStateFile;
        this.snapshotPath = snapshotPath;
        this.hardState = hardState;
        this.snapshotFile = new SnapshotFile(snapshotPath);
        this.snapshot = snapshot;
        this.index = scan.index();
        this.configs = scan.configs();
        this.writer = new RaftRecordWriter(log);
        this.reader = new RaftEntryReader(log);
    }

    /**
     * Opens the Raft log of the node whose data directory is {@code dataDir}, in {@code log} (already
     * open on {@code <dataDir>/log}; the node's readers share it, and it stays open when this closes).
     * A node without {@code raft/} files starts from the snapshot {@code (0, 0, initialConfig)}: the
     * members of a new cluster, or {@link ClusterConfig#EMPTY} for a node that joins one.
     */
    public static ChronicleRaftStorage open(ChronicleLog log, Path dataDir, ClusterConfig initialConfig) {
        return open(log, dataDir, initialConfig, data -> -1);
    }

    /**
     * Like {@link #open(ChronicleLog, Path, ClusterConfig)}; {@code scanFrom} says, from the snapshot's
     * data, where the queue holds an entry the snapshot covers (-1: nowhere known): reading the log
     * starts there, so a start-up reads the log after the snapshot only, not the whole queue.
     */
    public static ChronicleRaftStorage open(ChronicleLog log, Path dataDir, ClusterConfig initialConfig,
                                            ToLongFunction<byte[]> scanFrom) {
        long started = System.nanoTime();
        Path raftDir = dataDir.resolve("raft");
        Fsync.createDirectory(raftDir);
        Path snapshotPath = raftDir.resolve("snapshot");
        SnapshotFile snapshotFile = new SnapshotFile(snapshotPath);
        Snapshot snapshot = snapshotFile.read();
        if (snapshot == null) {
            snapshot = new Snapshot(SnapshotMeta.bootstrap(initialConfig), NO_PAYLOAD);
            snapshotFile.write(snapshot.meta(), snapshot.data());
        }
        HardStateFile hardStateFile = new HardStateFile(raftDir.resolve("hardstate"));
        HardStateFile.Contents hardState = hardStateFile.read();
        RaftLogScan.Result scan;
        ChronicleRaftStorage storage;
        try (LogReader scanReader = log.createReader()) {
            long from = snapshot.meta().index() > 0 ? scanFrom.applyAsLong(snapshot.data()) : -1;
            scan = RaftLogScan.scan(scanReader, snapshot.meta().index(), from);
            storage = new ChronicleRaftStorage(log, hardStateFile, hardState, snapshotPath, snapshot, scan);
            StartMarker.write(log, scanReader, storage.lastIndex() + 1, scan.startMarkerPayload());
        }
        LOG.info("opened the Raft log in {}: snapshot at {}, last index {}, {} runs, {} dead records, {} ms",
                dataDir.toAbsolutePath(), storage.snapshot.meta().index(), storage.lastIndex(), storage.index.runCount(),
                scan.deadRecords(), (System.nanoTime() - started) / 1_000_000);
        return storage;
    }

    // ---- read side ----

    @Override
    public HardState hardState() {
        return hardState.state();
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return snapshot.meta();
    }

    @Override
    public long lastIndex() {
        return index.isEmpty() ? snapshot.meta().index() : index.lastIndex();
    }

    @Override
    public long term(long i) {
        if (i == snapshot.meta().index()) {
            return snapshot.meta().term();
        }
        requireLive(i, i + 1);
        return index.term(i);
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
        requireLive(from, to);
        List<Entry> recent = recentEntries.read(from, to, maxBytes);
        return recent != null ? recent : reader.read(index, from, to, maxBytes);
    }

    @Override
    public long snapshotSize() {
        return snapshot.data().length;
    }

    @Override
    public byte[] snapshotChunk(long offset, int maxBytes) {
        byte[] data = snapshot.data();
        int from = (int) Math.min(offset, data.length);
        int to = (int) Math.min((long) from + maxBytes, data.length);
        return Arrays.copyOfRange(data, from, to);
    }

    /** The current snapshot's data: what the state machine restores from at start-up. */
    public byte[] snapshotData() {
        return snapshot.data().clone();
    }

    /** The file that holds the snapshot ({@code raft/snapshot}). */
    public Path snapshotPath() {
        return snapshotPath;
    }

    @Override
    public List<Entry> configEntries() {
        return configs.list();
    }

    /**
     * The last saved commit hint, within {@code [snapshot index, lastIndex()]}: every entry up to it is
     * committed, so a restarting node may apply them before it hears from a leader. Never above the last
     * index, because a log that lost its tail (a power loss without fsync durability) holds no more.
     */
    public long commitHint() {
        return Math.max(snapshot.meta().index(), Math.min(hardState.commitHint(), lastIndex()));
    }

    /** Where entries live in the queue; lookups are safe from any thread. */
    public RaftLogIndex index() {
        return index;
    }

    // ---- write side ----

    /** Appends entries, the first at {@code lastIndex() + 1}; not synced (see {@link #sync()}). */
    @Override
    public void append(List<Entry> entries) {
        long expected = lastIndex() + 1;
        for (Entry entry : entries) {
            if (entry.index() != expected) {
                throw new IllegalStateException("cannot append entry " + entry.index() + ": the next index is "
                        + expected + " (supersede the log from an index before appending there again)");
            }
            index.add(entry.index(), entry.term(), writer.append(entry));
            recentEntries.written(entry);
            if (entry.kind() == EntryKind.CONFIG) {
                configs.add(entry);
            }
            expected++;
        }
    }

    /** Kills the entries from {@code i} on with a TRUNCATE marker; not synced. */
    @Override
    public void supersedeFrom(long i) {
        if (i <= snapshot.meta().index()) {
            throw new IllegalArgumentException("cannot supersede " + i + " at or below the snapshot at "
                    + snapshot.meta().index());
        }
        if (i > lastIndex()) {
            return;
        }
        writer.appendTruncate(i, NO_PAYLOAD);
        index.truncateFrom(i);
        recentEntries.truncateFrom(i);
        configs.truncateFrom(i);
    }

    /** Replaces {@code raft/hardstate} (fsynced), keeping the commit hint. */
    @Override
    public void saveHardState(HardState state) {
        writeHardState(new HardStateFile.Contents(state, hardState.commitHint()));
    }

    /**
     * Replaces {@code raft/hardstate} (fsynced) with a new commit hint, keeping term and vote. It may lag
     * the commit index: each call costs a file replace and an fsync, so save it now and then.
     */
    public void saveCommitHint(long committedIndex) {
        writeHardState(new HardStateFile.Contents(hardState.state(), committedIndex));
    }

    /**
     * Replaces the whole log with the snapshot: the snapshot file, then a marker at its index + 1, where
     * the log goes on. Every entry held is dead: those after the snapshot by the marker, the others
     * because the snapshot covers them.
     */
    @Override
    public void installSnapshot(SnapshotMeta meta, byte[] data) {
        snapshotFile.write(meta, data);
        snapshot = new Snapshot(meta, data.clone());
        writer.appendTruncate(meta.index() + 1, NO_PAYLOAD);
        index.clear();
        recentEntries.clear();
        configs.clear();
    }

    /**
     * Records the application's snapshot; entries up to its index are no longer part of the log (they
     * stay in the queue until old cycles are deleted).
     */
    @Override
    public void compact(SnapshotMeta meta, byte[] data) {
        if (meta.index() <= snapshot.meta().index()) {
            return;
        }
        if (meta.index() > lastIndex()) {
            throw new IllegalArgumentException("compact at " + meta.index() + " beyond the last index " + lastIndex());
        }
        snapshotFile.write(meta, data);
        snapshot = new Snapshot(meta, data.clone());
        index.dropThrough(meta.index());
        configs.dropThrough(meta.index());
    }

    /**
     * Makes every record written so far durable (msync), if the queue was opened for msync; otherwise
     * returns at once. Call it once per batch of writes (group commit), before reporting them durable.
     */
    public void sync() {
        writer.sync();
    }

    /** Closes this storage's appender and tailer; the {@link ChronicleLog} stays open. */
    @Override
    public void close() {
        writer.close();
        reader.close();
    }

    private void writeHardState(HardStateFile.Contents contents) {
        hardStateFile.write(contents);
        hardState = contents;
    }

    private void requireLive(long from, long to) {
        if (from <= snapshot.meta().index() || to > lastIndex() + 1 || from >= to) {
            throw new IllegalArgumentException("entries [" + from + ", " + to + ") outside ("
                    + snapshot.meta().index() + ", " + lastIndex() + "]");
        }
    }
}
