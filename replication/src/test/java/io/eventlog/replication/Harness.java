package io.eventlog.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/** Drives one node directly: hand-made messages in, its Readies out, persistence under the test's control. */
final class Harness {

    static final long GROUP = 7;

    final MemoryStorage storage;
    final RaftNode node;
    final List<Ready> unpersisted = new ArrayList<>();
    final List<Entry> applied = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();

    Harness(long id, MemoryStorage storage, UnaryOperator<RaftConfig.Builder> configure) {
        this.storage = storage;
        this.node = new RaftNode(configure.apply(RaftConfig.builder(id, GROUP, new SplittableRandom(id)).preVote(false))
                .build(), storage);
    }

    /** Node {@code id} of a new cluster of {@code voters}, without pre-vote. */
    static Harness of(long id, long... voters) {
        return new Harness(id, MemoryStorage.bootstrap(voters), b -> b);
    }

    /** Collects the output of every Ready; persists each at once if {@code persist}. Returns the messages. */
    List<Message> drain(boolean persist) {
        List<Message> out = new ArrayList<>();
        while (node.hasReady()) {
            Ready r = node.ready();
            out.addAll(r.messages());
            applied.addAll(r.committedEntries());
            readStates.addAll(r.readStates());
            if (r.needsPersistence()) {
                if (persist) {
                    storage.persist(r);
                    node.advance(r);
                } else {
                    unpersisted.add(r);
                }
            }
        }
        return out;
    }

    /** Persists everything handed out so far, then drains (persisting). Returns the messages. */
    List<Message> persistAll() {
        for (Ready r : unpersisted) {
            storage.persist(r);
            node.advance(r);
        }
        unpersisted.clear();
        return drain(true);
    }

    List<Message> step(Message m) {
        node.step(m);
        return drain(true);
    }

    /** Makes this node leader of the next term with votes from {@code voters}. */
    List<Message> electWith(long... voters) {
        node.campaign();
        drain(true);
        List<Message> out = new ArrayList<>();
        for (long v : voters) {
            out.addAll(step(new Message.VoteResponse(GROUP, v, node.id(), node.term(), true, false)));
        }
        if (node.role() != Role.LEADER) {
            throw new AssertionError("not elected: " + node);
        }
        return out;
    }

    static <T extends Message> List<T> only(List<Message> messages, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Message m : messages) {
            if (type.isInstance(m)) {
                out.add(type.cast(m));
            }
        }
        return out;
    }

    static <T extends Message> List<T> to(List<Message> messages, long to, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (T m : only(messages, type)) {
            if (m.to() == to) {
                out.add(m);
            }
        }
        return out;
    }

    /** A log of entries with the given terms, starting at index 1. */
    static List<Entry> entries(long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(Entry.normal(i + 1, terms[i], new byte[] {(byte) i}));
        }
        return out;
    }

    /** Storage of a member of {@code voters} whose log holds entries of the given terms. */
    static MemoryStorage storageWith(long[] voters, long term, long... entryTerms) {
        MemoryStorage s = MemoryStorage.bootstrap(voters);
        s.append(entries(entryTerms));
        s.saveHardState(new HardState(term, 0));
        return s;
    }
}
