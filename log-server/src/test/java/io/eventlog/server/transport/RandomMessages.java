package io.eventlog.server.transport;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.replication.EntryKind;
import io.eventlog.replication.Message;
import io.eventlog.replication.SnapshotMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/** Random messages of every type from a seeded {@link Random}, with values from small to extreme. */
final class RandomMessages {
    /** One maker per message type, so a test can cover each type equally. */
    static final List<Function<RandomMessages, Message>> TYPES = List.of(
            r -> new Message.VoteRequest(r.id(), r.id(), r.id(), r.number(), r.number(), r.number(), r.bool(), r.bool()),
            r -> new Message.VoteResponse(r.id(), r.id(), r.id(), r.number(), r.bool(), r.bool()),
            r -> new Message.AppendRequest(r.id(), r.id(), r.id(), r.number(), r.number(), r.number(), r.entries(),
                    r.number()),
            r -> new Message.AppendResponse(r.id(), r.id(), r.id(), r.number(), r.bool(), r.number(), r.number(),
                    r.number()),
            r -> new Message.Heartbeat(r.id(), r.id(), r.id(), r.number(), r.number(), r.number()),
            r -> new Message.HeartbeatResponse(r.id(), r.id(), r.id(), r.number(), r.number()),
            r -> new Message.SnapshotChunk(r.id(), r.id(), r.id(), r.number(), r.meta(), r.number(), r.bytes(4096),
                    r.bool()),
            r -> new Message.SnapshotResponse(r.id(), r.id(), r.id(), r.number(), r.number(), r.number(),
                    r.pick(Message.SnapshotResponse.Outcome.values())),
            r -> new Message.TimeoutNow(r.id(), r.id(), r.id(), r.number()),
            r -> new Message.ReadIndexRequest(r.id(), r.id(), r.id(), r.number(), r.number()),
            r -> new Message.ReadIndexResponse(r.id(), r.id(), r.id(), r.number(), r.number(), r.number()));

    private final Random random;

    RandomMessages(long seed) {
        this.random = new Random(seed);
    }

    Message next() {
        return TYPES.get(random.nextInt(TYPES.size())).apply(this);
    }

    Message next(int type) {
        return TYPES.get(type).apply(this);
    }

    /** Mostly small numbers, as Raft sends them, sometimes any long at all (negative ones included). */
    long number() {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextBoolean() ? Long.MAX_VALUE : 0;
            default -> random.nextInt(1 << (1 + random.nextInt(30)));
        };
    }

    private long nonNegative() {
        return number() & Long.MAX_VALUE;
    }

    private long id() {
        return 1 + random.nextInt(random.nextBoolean() ? 5 : Integer.MAX_VALUE);
    }

    private boolean bool() {
        return random.nextBoolean();
    }

    byte[] bytes(int maxLength) {
        byte[] data = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(data);
        return data;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private List<Entry> entries() {
        int count = random.nextInt(4) == 0 ? 0 : random.nextInt(40);
        long index = nonNegative();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EntryKind kind = pick(EntryKind.values());
            entries.add(new Entry(index + i, number(), kind, kind == EntryKind.NOOP ? new byte[0] : bytes(300)));
        }
        return entries;
    }

    private SnapshotMeta meta() {
        Set<Long> voters = new HashSet<>();
        Set<Long> learners = new HashSet<>();
        int members = random.nextInt(8);
        for (int i = 0; i < members; i++) {
            long member = id();
            if (!voters.contains(member) && !learners.contains(member)) {
                (random.nextInt(3) == 0 ? learners : voters).add(member);
            }
        }
        return new SnapshotMeta(nonNegative(), nonNegative(), new ClusterConfig(voters, learners));
    }

    /** Record equality, except that a snapshot chunk's data is compared by content. */
    static boolean same(Message a, Message b) {
        if (a instanceof Message.SnapshotChunk x && b instanceof Message.SnapshotChunk y) {
            return x.group() == y.group() && x.from() == y.from() && x.to() == y.to() && x.term() == y.term()
                    && x.meta().equals(y.meta()) && x.offset() == y.offset() && x.last() == y.last()
                    && Arrays.equals(x.data(), y.data());
        }
        return a.equals(b);
    }
}
