package io.eventlog.server.raftlog;

import io.eventlog.replication.EntryKind;
import io.eventlog.server.storage.RecordKind;

/** How Raft entry kinds are stored: a NORMAL entry is an EVENT record (its payload is the event's). */
final class EntryKinds {
    private EntryKinds() {
    }

    static RecordKind recordKindOf(EntryKind kind) {
        return switch (kind) {
            case NORMAL -> RecordKind.EVENT;
            case NOOP -> RecordKind.NOOP;
            case CONFIG -> RecordKind.CONFIG;
        };
    }

    /** The entry kind a record holds, or null for a record that is not an entry (a marker). */
    static EntryKind entryKindOf(RecordKind kind) {
        return switch (kind) {
            case EVENT -> EntryKind.NORMAL;
            case NOOP -> EntryKind.NOOP;
            case CONFIG -> EntryKind.CONFIG;
            case RESUME, TRUNCATE -> null;
        };
    }
}
