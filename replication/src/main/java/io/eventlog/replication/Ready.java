package io.eventlog.replication;

import java.util.List;

/**
 * Everything the core wants done, collected since the last {@link RaftNode#ready()}. The driver:
 * <ol>
 *   <li>sends {@link #messages()} (at once: nothing in them waits for this Ready's persistence);</li>
 *   <li>persists, in this order, {@link #snapshot()}, {@link #entries()} and {@link #hardState()}
 *       (see {@link RaftStorage#persist}), then reports it durable ({@link RaftNode#advance} or the
 *       finer {@code persisted*} methods); steps 1 and 2 may run in parallel;</li>
 *   <li>restores the state machine from {@link #snapshot()} if set, then applies
 *       {@link #committedEntries()} in order;</li>
 *   <li>serves each {@link #readStates()} once its index is applied.</li>
 * </ol>
 *
 * @param softState        role, leader and term if they changed, else null
 * @param hardState        term and vote to persist if they changed, else null
 * @param snapshot         a snapshot received from the leader, to persist and restore, else null
 * @param entries          entries to append; if the first index is not past the stored last index,
 *                         the stored entries from that index on are superseded first
 * @param messages         messages to send
 * @param committedEntries committed entries to apply, all durable locally
 * @param readStates       confirmed linearizable reads
 */
public record Ready(SoftState softState, HardState hardState, Snapshot snapshot, List<Entry> entries,
                    List<Message> messages, List<Entry> committedEntries, List<ReadState> readStates) {

    /** The last entry to persist, or null. */
    public Entry lastEntry() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1);
    }

    /** True if the driver has something to write to storage for this Ready. */
    public boolean needsPersistence() {
        return hardState != null || snapshot != null || !entries.isEmpty();
    }
}
