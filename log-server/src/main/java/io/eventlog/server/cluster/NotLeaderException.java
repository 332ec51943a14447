package io.eventlog.server.cluster;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;

/** A request only the leader serves reached another node; {@code leaderAddress} (host:port) is where to go. */
public final class NotLeaderException extends EventLogException {
    private final String leaderAddress;

    public NotLeaderException(String leader, String leaderAddress) {
        super(ErrorCode.NOT_LEADER, "this node does not lead the cluster; the leader is node " + leader
                + " at " + leaderAddress);
        this.leaderAddress = leaderAddress;
    }

    public String leaderAddress() {
        return leaderAddress;
    }
}
