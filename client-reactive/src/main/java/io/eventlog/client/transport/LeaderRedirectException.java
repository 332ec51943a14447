package io.eventlog.client.transport;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;

/** A follower answered 307: the request belongs to the leader at {@link #leader()}. */
public final class LeaderRedirectException extends EventLogException {
    private static final long serialVersionUID = 1L;

    private final NodeAddress leader;

    public LeaderRedirectException(NodeAddress from, NodeAddress leader) {
        super(ErrorCode.NOT_LEADER, "node " + from + " is not the leader; the leader is " + leader);
        this.leader = leader;
    }

    public NodeAddress leader() {
        return leader;
    }
}
