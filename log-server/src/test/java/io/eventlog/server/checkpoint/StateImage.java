package io.eventlog.server.checkpoint;

import io.eventlog.server.storage.OffsetIndex;
import io.eventlog.server.streams.EventStateMachine;
import io.eventlog.server.streams.RememberedAppend;
import io.eventlog.server.streams.StateSnapshot;
import io.eventlog.server.streams.StreamSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's state as plain values that compare with equals: every stream's offsets by version, the
 * idempotency window's appends in order, the offset index's runs and the last offset. Two states
 * with equal images decide every append alike and serve every read alike.
 */
record StateImage(long lastOffset, Map<String, List<Long>> streams, List<RememberedAppend> remembered,
                  List<OffsetIndex.Run> runs) {

    static StateImage of(EventStateMachine state, OffsetIndex offsets) {
        StateSnapshot snapshot = state.snapshot();
        Map<String, List<Long>> streams = new TreeMap<>();
        for (StreamSnapshot stream : snapshot.streams()) {
            List<Long> versions = new ArrayList<>(stream.versions());
            for (int v = 0; v < stream.versions(); v++) {
                versions.add(stream.offsetOf(v));
            }
            streams.put(stream.stream(), versions);
        }
        return new StateImage(snapshot.lastOffset(), streams, List.copyOf(snapshot.remembered()), offsets.runs());
    }

    /** Where two images first differ, for a failure message. */
    String differenceFrom(StateImage other) {
        if (lastOffset != other.lastOffset) {
            return "last offset " + lastOffset + " vs " + other.lastOffset;
        }
        if (!runs.equals(other.runs)) {
            return "offset index runs " + runs + " vs " + other.runs;
        }
        if (!streams.keySet().equals(other.streams.keySet())) {
            return "streams " + streams.keySet() + " vs " + other.streams.keySet();
        }
        for (String stream : streams.keySet()) {
            if (!streams.get(stream).equals(other.streams.get(stream))) {
                return "stream " + stream + ": " + streams.get(stream) + " vs " + other.streams.get(stream);
            }
        }
        if (!remembered.equals(other.remembered)) {
            return "remembered appends (" + remembered.size() + " vs " + other.remembered.size() + ")";
        }
        return "nothing";
    }
}
