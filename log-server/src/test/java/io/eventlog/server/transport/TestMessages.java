package io.eventlog.server.transport;

import io.eventlog.replication.ClusterConfig;
import io.eventlog.replication.Entry;
import io.eventlog.replication.Message;
import io.eventlog.replication.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The {@code seq}-th message of a link, the same every time it is asked for, so a receiver can
 * check what arrived in order: mostly heartbeats, every 10th an AppendRequest with entries, every
 * 1000th a 1 MiB snapshot chunk.
 */
final class TestMessages {
    private TestMessages() {
    }

    static Message message(long from, long to, int seq) {
        Random random = new Random(seq * 1_000_003L + from * 101 + to);
        if (seq % 1000 == 999) {
            byte[] data = new byte[1 << 20];
            random.nextBytes(data);
            return new Message.SnapshotChunk(1, from, to, 1, SnapshotMeta.bootstrap(ClusterConfig.ofVoters(1, 2, 3)),
                    seq, data, false);
        }
        if (seq % 10 == 0) {
            return appendRequest(from, to, seq, 1 + random.nextInt(20), random.nextInt(2048));
        }
        return heartbeat(from, to, seq);
    }

    static Message heartbeat(long from, long to, long commit) {
        return new Message.Heartbeat(1, from, to, 1, commit, commit);
    }

    static Message appendRequest(long from, long to, long prevIndex, int entries, int payloadBytes) {
        List<Entry> list = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            list.add(Entry.normal(prevIndex + 1 + i, 1, new byte[payloadBytes]));
        }
        return new Message.AppendRequest(1, from, to, 1, prevIndex, 1, list, prevIndex);
    }

    /** Fails unless {@code received} is exactly messages 0..count-1 of the link, in order. */
    static void assertInOrder(long from, long to, int count, List<Message> received) {
        if (received.size() != count) {
            throw new AssertionError(from + " -> " + to + ": " + received.size() + " messages, expected " + count);
        }
        for (int seq = 0; seq < count; seq++) {
            if (!RandomMessages.same(message(from, to, seq), received.get(seq))) {
                throw new AssertionError(from + " -> " + to + ": message " + seq + " is " + received.get(seq));
            }
        }
    }
}
