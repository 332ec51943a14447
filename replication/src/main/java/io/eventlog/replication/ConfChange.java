package io.eventlog.replication;

/** One single-server membership change (Raft thesis §4.1). */
public record ConfChange(Type type, long nodeId) {

    public enum Type {
        /** Add a non-voting member that receives the log. */
        ADD_LEARNER,
        /** Add a voter directly (prefer ADD_LEARNER then PROMOTE). */
        ADD_VOTER,
        /** Turn a caught-up learner into a voter. */
        PROMOTE,
        /** Remove a voter or learner. */
        REMOVE
    }

    public static ConfChange addLearner(long id) {
        return new ConfChange(Type.ADD_LEARNER, id);
    }

    public static ConfChange addVoter(long id) {
        return new ConfChange(Type.ADD_VOTER, id);
    }

    public static ConfChange promote(long id) {
        return new ConfChange(Type.PROMOTE, id);
    }

    public static ConfChange remove(long id) {
        return new ConfChange(Type.REMOVE, id);
    }
}
