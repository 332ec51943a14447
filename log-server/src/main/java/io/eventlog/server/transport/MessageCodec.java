package io.eventlog.server.transport;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.replication.Message;
import io.eventlog.replication.Message.AppendRequest;
import io.eventlog.replication.Message.AppendResponse;
import io.eventlog.replication.Message.Heartbeat;
import io.eventlog.replication.Message.HeartbeatResponse;
import io.eventlog.replication.Message.ReadIndexRequest;
import io.eventlog.replication.Message.ReadIndexResponse;
import io.eventlog.replication.Message.SnapshotChunk;
import io.eventlog.replication.Message.SnapshotResponse;
import io.eventlog.replication.Message.TimeoutNow;
import io.eventlog.replication.Message.VoteRequest;
import io.eventlog.replication.Message.VoteResponse;
import io.eventlog.replication.SnapshotMeta;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The binary form of every Raft {@link Message}.
 *
 * <p>Every number is an unsigned LEB128 varint ({@link Varints}: a long as its 64-bit two's
 * complement, so a negative one takes ten bytes) except {@code u8} fields; booleans are a u8 of 0
 * or 1; {@code bytes} is a varint length and the bytes. A message is
 * {@code type:u8 group from to term} and then, by type:
 * <pre>
 *  1 VoteRequest        lastIndex lastTerm preVote:bool transfer:bool
 *  2 VoteResponse       granted:bool preVote:bool
 *  3 AppendRequest      prevIndex prevTerm count entry*count commit
 *                       entry = index term kind:u8 (0 NORMAL, 1 NOOP, 2 CONFIG) payload:bytes
 *  4 AppendResponse     success:bool index hintIndex hintTerm
 *  5 Heartbeat          commit readSeq
 *  6 HeartbeatResponse  readSeq
 *  7 SnapshotChunk      meta offset data:bytes last:bool
 *                       meta = index term voterCount voterId*voterCount learnerCount learnerId*learnerCount
 *                       (ids ascending)
 *  8 SnapshotResponse   snapshotIndex nextOffset outcome:u8 (0 CONTINUE, 1 INSTALLED, 2 SKIPPED)
 *  9 TimeoutNow         (nothing)
 * 10 ReadIndexRequest   context
 * 11 ReadIndexResponse  context index
 * </pre>
 * Decoding accepts exactly what encoding produces: anything else (an unknown type or kind, a
 * boolean that is neither 0 nor 1, a varint not minimally encoded, a count or length past the end,
 * a duplicate node id, trailing bytes) is a {@link MalformedFrameException}.
 */
public final class MessageCodec {
    /** The fewest bytes any message takes: its type and four one-byte varints. */
    static final int MIN_MESSAGE_BYTES = 5;
    /** The fewest bytes an entry takes: index, term, kind and an empty payload. */
    private static final int MIN_ENTRY_BYTES = 4;

    private static final int VOTE_REQUEST = 1;
    private static final int VOTE_RESPONSE = 2;
    private static final int APPEND_REQUEST = 3;
    private static final int APPEND_RESPONSE = 4;
    private static final int HEARTBEAT = 5;
    private static final int HEARTBEAT_RESPONSE = 6;
    private static final int SNAPSHOT_CHUNK = 7;
    private static final int SNAPSHOT_RESPONSE = 8;
    private static final int TIMEOUT_NOW = 9;
    private static final int READ_INDEX_REQUEST = 10;
    private static final int READ_INDEX_RESPONSE = 11;

    private static final EntryKind[] KINDS = {EntryKind.NORMAL, EntryKind.NOOP, EntryKind.CONFIG};
    private static final SnapshotResponse.Outcome[] OUTCOMES = {
            SnapshotResponse.Outcome.CONTINUE, SnapshotResponse.Outcome.INSTALLED, SnapshotResponse.Outcome.SKIPPED};

    private MessageCodec() {
    }

    /** The bytes {@link #encode} writes for this message. */
    public static int encodedSize(Message message) {
        WireSink.SizeCounter counter = new WireSink.SizeCounter();
        write(message, counter);
        return Math.toIntExact(counter.size());
    }

    /** Writes the message at the buffer's writer index. */
    public static void encode(Message message, ByteBuf out) {
        write(message, new WireSink.Buffer(out));
    }

    /** Reads the one message the buffer holds, all of it. */
    public static Message decode(ByteBuf in) {
        WireReader reader = new WireReader(in);
        Message message = read(reader);
        reader.requireEnd("message");
        return message;
    }

    static void write(Message m, WireSink out) {
        if (m instanceof VoteRequest v) {
            writeHeader(out, VOTE_REQUEST, v);
            out.varint(v.lastIndex());
            out.varint(v.lastTerm());
            writeBool(out, v.preVote());
            writeBool(out, v.transfer());
        } else if (m instanceof VoteResponse v) {
            writeHeader(out, VOTE_RESPONSE, v);
            writeBool(out, v.granted());
            writeBool(out, v.preVote());
        } else if (m instanceof AppendRequest a) {
            writeHeader(out, APPEND_REQUEST, a);
            out.varint(a.prevIndex());
            out.varint(a.prevTerm());
            out.varint(a.entries().size());
            for (Entry e : a.entries()) {
                out.varint(e.index());
                out.varint(e.term());
                out.u8(indexOf(KINDS, e.kind()));
                out.bytes(e.payload());
            }
            out.varint(a.commit());
        } else if (m instanceof AppendResponse a) {
            writeHeader(out, APPEND_RESPONSE, a);
            writeBool(out, a.success());
            out.varint(a.index());
            out.varint(a.hintIndex());
            out.varint(a.hintTerm());
        } else if (m instanceof Heartbeat h) {
            writeHeader(out, HEARTBEAT, h);
            out.varint(h.commit());
            out.varint(h.readSeq());
        } else if (m instanceof HeartbeatResponse h) {
            writeHeader(out, HEARTBEAT_RESPONSE, h);
            out.varint(h.readSeq());
        } else if (m instanceof SnapshotChunk s) {
            writeHeader(out, SNAPSHOT_CHUNK, s);
            writeMeta(out, s.meta());
            out.varint(s.offset());
            out.bytes(s.data());
            writeBool(out, s.last());
        } else if (m instanceof SnapshotResponse s) {
            writeHeader(out, SNAPSHOT_RESPONSE, s);
            out.varint(s.snapshotIndex());
            out.varint(s.nextOffset());
            out.u8(indexOf(OUTCOMES, s.outcome()));
        } else if (m instanceof ReadIndexRequest r) {
            writeHeader(out, READ_INDEX_REQUEST, r);
            out.varint(r.context());
        } else if (m instanceof ReadIndexResponse r) {
            writeHeader(out, READ_INDEX_RESPONSE, r);
            out.varint(r.context());
            out.varint(r.index());
        } else if (m instanceof TimeoutNow t) {
            writeHeader(out, TIMEOUT_NOW, t);
        } else {
            throw new IllegalArgumentException("no wire type for " + m.getClass().getName());
        }
    }

    private static void writeHeader(WireSink out, int type, Message m) {
        out.u8(type);
        out.varint(m.group());
        out.varint(m.from());
        out.varint(m.to());
        out.varint(m.term());
    }

    /** Reads one message; the caller checks what follows it. Arguments are read left to right, in wire order. */
    static Message read(WireReader in) {
        int type = in.u8("message type");
        long group = in.varint("group");
        long from = in.varint("from");
        long to = in.varint("to");
        long term = in.varint("term");
        return switch (type) {
            case VOTE_REQUEST -> new VoteRequest(group, from, to, term, in.varint("lastIndex"), in.varint("lastTerm"),
                    in.bool("preVote"), in.bool("transfer"));
            case VOTE_RESPONSE -> new VoteResponse(group, from, to, term, in.bool("granted"), in.bool("preVote"));
            case APPEND_REQUEST -> new AppendRequest(group, from, to, term, in.varint("prevIndex"),
                    in.varint("prevTerm"), readEntries(in), in.varint("commit"));
            case APPEND_RESPONSE -> new AppendResponse(group, from, to, term, in.bool("success"), in.varint("index"),
                    in.varint("hintIndex"), in.varint("hintTerm"));
            case HEARTBEAT -> new Heartbeat(group, from, to, term, in.varint("commit"), in.varint("readSeq"));
            case HEARTBEAT_RESPONSE -> new HeartbeatResponse(group, from, to, term, in.varint("readSeq"));
            case SNAPSHOT_CHUNK -> new SnapshotChunk(group, from, to, term, readMeta(in), in.varint("offset"),
                    in.bytes("snapshot data"), in.bool("last"));
            case SNAPSHOT_RESPONSE -> new SnapshotResponse(group, from, to, term, in.varint("snapshotIndex"),
                    in.varint("nextOffset"), byCode(OUTCOMES, in.u8("outcome"), "snapshot outcome"));
            case TIMEOUT_NOW -> new TimeoutNow(group, from, to, term);
            case READ_INDEX_REQUEST -> new ReadIndexRequest(group, from, to, term, in.varint("context"));
            case READ_INDEX_RESPONSE -> new ReadIndexResponse(group, from, to, term, in.varint("context"),
                    in.varint("index"));
            default -> throw new MalformedFrameException("unknown message type " + type);
        };
    }

    private static List<Entry> readEntries(WireReader in) {
        int count = in.count("entry count", MIN_ENTRY_BYTES);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(in.varint("entry index"), in.varint("entry term"),
                    byCode(KINDS, in.u8("entry kind"), "entry kind"), in.bytes("entry payload")));
        }
        return entries;
    }

    private static void writeMeta(WireSink out, SnapshotMeta meta) {
        out.varint(meta.index());
        out.varint(meta.term());
        writeIds(out, meta.config().voters());
        writeIds(out, meta.config().learners());
    }

    private static SnapshotMeta readMeta(WireReader in) {
        long index = in.varint("snapshot index");
        long term = in.varint("snapshot term");
        Set<Long> voters = readIds(in, "voter");
        Set<Long> learners = readIds(in, "learner");
        return validated(() -> new SnapshotMeta(index, term, new ClusterConfig(voters, learners)), "snapshot meta");
    }

    private static void writeIds(WireSink out, Set<Long> ids) {
        out.varint(ids.size());
        for (long id : new TreeSet<>(ids)) {
            out.varint(id);
        }
    }

    private static Set<Long> readIds(WireReader in, String role) {
        int count = in.count(role + " count", 1);
        Set<Long> ids = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            long id = in.varint(role + " id");
            if (!ids.add(id)) {
                throw new MalformedFrameException("duplicate " + role + " id " + id);
            }
        }
        return ids;
    }

    /** Runs a record's own checks on decoded fields, reporting a violation as a malformed frame. */
    private static <T> T validated(Supplier<T> constructor, String what) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException("invalid " + what + ": " + e.getMessage());
        }
    }

    private static void writeBool(WireSink out, boolean value) {
        out.u8(value ? 1 : 0);
    }

    private static <T> int indexOf(T[] codes, T value) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("no wire code for " + value);
    }

    private static <T> T byCode(T[] codes, int code, String what) {
        if (code >= codes.length) {
            throw new MalformedFrameException("unknown " + what + " " + code);
        }
        return codes[code];
    }
}
