package io.eventlog.replication;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The members of a group: voters elect leaders and count for commit; learners only receive the
 * log. Node ids are positive longs. A node never appears in both sets.
 */
public record ClusterConfig(Set<Long> voters, Set<Long> learners) {

    public static final ClusterConfig EMPTY = new ClusterConfig(Set.of(), Set.of());

    public ClusterConfig {
        voters = Set.copyOf(voters);
        learners = Set.copyOf(learners);
        for (long id : voters) {
            if (id <= 0) {
                throw new IllegalArgumentException("node ids must be positive: " + id);
            }
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " is both voter and learner");
            }
        }
        for (long id : learners) {
            if (id <= 0) {
                throw new IllegalArgumentException("node ids must be positive: " + id);
            }
        }
    }

    public static ClusterConfig ofVoters(long... ids) {
        return new ClusterConfig(Arrays.stream(ids).boxed().collect(java.util.stream.Collectors.toSet()), Set.of());
    }

    public boolean isVoter(long id) {
        return voters.contains(id);
    }

    public boolean isLearner(long id) {
        return learners.contains(id);
    }

    public boolean contains(long id) {
        return isVoter(id) || isLearner(id);
    }

    /** Voters and learners, in ascending id order. */
    public long[] members() {
        TreeSet<Long> all = new TreeSet<>(voters);
        all.addAll(learners);
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    /** Voters in ascending id order. */
    public long[] voterIds() {
        return voters.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The number of votes that make a majority of the voters. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /** The configuration that results from applying one change; throws if the change makes no sense. */
    public ClusterConfig apply(ConfChange change) {
        long id = change.nodeId();
        Set<Long> v = new TreeSet<>(voters);
        Set<Long> l = new TreeSet<>(learners);
        switch (change.type()) {
            case ADD_LEARNER -> {
                requireAbsent(id);
                l.add(id);
            }
            case ADD_VOTER -> {
                requireAbsent(id);
                v.add(id);
            }
            case PROMOTE -> {
                if (!l.remove(id)) {
                    throw new IllegalArgumentException("node " + id + " is not a learner");
                }
                v.add(id);
            }
            case REMOVE -> {
                if (!v.remove(id) && !l.remove(id)) {
                    throw new IllegalArgumentException("node " + id + " is not a member");
                }
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("cannot remove the last voter");
                }
            }
        }
        return new ClusterConfig(v, l);
    }

    private void requireAbsent(long id) {
        if (contains(id)) {
            throw new IllegalArgumentException("node " + id + " is already a member");
        }
    }

    /** The payload of a {@link EntryKind#CONFIG} entry. */
    public byte[] encode() {
        long[] v = voterIds();
        long[] l = learners.stream().mapToLong(Long::longValue).sorted().toArray();
        ByteBuffer buf = ByteBuffer.allocate(8 + 8 * (v.length + l.length));
        buf.putInt(v.length).putInt(l.length);
        for (long id : v) {
            buf.putLong(id);
        }
        for (long id : l) {
            buf.putLong(id);
        }
        return buf.array();
    }

    /** Reads the payload of a {@link EntryKind#CONFIG} entry. */
    public static ClusterConfig decode(byte[] payload) {
        ByteBuffer buf = ByteBuffer.wrap(payload);
        int nv = buf.getInt();
        int nl = buf.getInt();
        Set<Long> v = new TreeSet<>();
        Set<Long> l = new TreeSet<>();
        for (int i = 0; i < nv; i++) {
            v.add(buf.getLong());
        }
        for (int i = 0; i < nl; i++) {
            l.add(buf.getLong());
        }
        return new ClusterConfig(v, l);
    }
}
