package io.eventlog.server.testing.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One operation event of a {@link History}, as in Jepsen: a client {@linkplain Phase#INVOKE invokes} an
 * operation, which then completes {@linkplain Phase#OK ok}, {@linkplain Phase#FAIL failed} (it definitely
 * did not happen) or {@linkplain Phase#INFO indeterminate} (it may or may not have happened). One line of
 * the history file is one op, in JSON, with only the fields that apply (see {@link History}).
 *
 * @param index        its position in the history, from 0
 * @param time         nanoseconds since the history started
 * @param process      the logical client that did it (one operation at a time, except a subscription's
 *                     deliveries, which follow their invoke)
 * @param invoke       on a completion: the index of its invoke
 * @param node         the node it was sent to (a base URL)
 * @param subscription SUBSCRIBE: the subscription's id, the same across resumes
 * @param stream       APPEND: the stream; ok: the acknowledged stream. SUBSCRIBE invoke: the stream
 *                     subscribed to (none: the global log); delivery: the entry's stream
 * @param payload      APPEND, delivery: the unique payload id
 * @param offset       APPEND ok: the acknowledged offset; delivery: the entry's offset
 * @param version      APPEND ok: the acknowledged version; delivery: the entry's version
 * @param from         SUBSCRIBE invoke: the first position asked for ({@code from_offset}/{@code from_version})
 * @param lastEventId  SUBSCRIBE invoke of a resume: the {@code Last-Event-ID} sent (the last position delivered)
 * @param entries      READ_LOG ok: the whole log as the node returned it
 * @param error        FAIL, INFO: what happened; FAULT: the fault
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"index", "time", "process", "phase", "type", "invoke", "node", "subscription", "stream",
        "payload", "offset", "version", "from", "last_event_id", "error", "entries"})
public record Op(long index, long time, String process, Phase phase, Type type, Long invoke, String node,
                 String subscription, String stream, String payload, Long offset, Long version, Long from,
                 @JsonProperty("last_event_id") Long lastEventId, List<EntryRef> entries, String error) {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A final read is shown in full in a report only when it is this short. */
    private static final int ENTRIES_SHOWN = 5;

    /** Where an op stands: invoked, or completed one of three ways. */
    public enum Phase {
        @JsonProperty("invoke") INVOKE,
        @JsonProperty("ok") OK,
        @JsonProperty("fail") FAIL,
        @JsonProperty("info") INFO
    }

    /** What an op does. */
    public enum Type {
        /** Append one event whose data holds a unique payload id. */
        @JsonProperty("append") APPEND,
        /** Read the whole global log from one node (after the faults are healed: a final read). */
        @JsonProperty("read_log") READ_LOG,
        /** Subscribe (invoke, also a resume); each delivered entry is an ok of that invoke. */
        @JsonProperty("subscribe") SUBSCRIBE,
        /**
         * A fault the test injected or healed, Jepsen's nemesis (one info op; {@code error} says what, {@code
         * node} which node if one): not checked, it dates the faults among the client ops.
         */
        @JsonProperty("fault") FAULT
    }

    public boolean is(Type t, Phase p) {
        return type == t && phase == p;
    }

    /** The entry a delivery (a SUBSCRIBE ok) holds. */
    public EntryRef deliveredEntry() {
        if (!is(Type.SUBSCRIBE, Phase.OK)) {
            throw new IllegalStateException("not a delivery: " + this);
        }
        return new EntryRef(offset, stream, version, payload);
    }

    /** The op as one line of JSON, as the history file holds it. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON line, with a long list of entries cut to its count (for reports). */
    @Override
    public String toString() {
        if (entries == null || entries.size() <= ENTRIES_SHOWN) {
            return toJson();
        }
        return withEntries(null).toJson() + " (" + entries.size() + " entries)";
    }

    /** This op with other entries (a tampered final read, in tests that prove the checker). */
    public Op withEntries(List<EntryRef> other) {
        return new Op(index, time, process, phase, type, invoke, node, subscription, stream, payload, offset, version,
                from, lastEventId, other, error);
    }
}
