package io.eventlog.server.projection;

import io.eventlog.api.Entry;

/**
 * How a projection's state takes in one entry: a pure function of the state before and the entry,
 * returning the state after. It must not change the state it is given (a checkpoint may be encoding it
 * on another thread) nor have effects outside the state: after a crash the entries since the last
 * checkpoint are folded again, and only the state's exactly-once is guaranteed.
 */
@FunctionalInterface
public interface ProjectionFold<S> {
    S apply(S state, Entry entry);
}
