package io.eventlog.client.transport;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;

/**
 * A node could not be reached or the connection to it was lost (refused, reset, closed before the
 * answer was whole). The request may or may not have taken effect; it can be retried elsewhere.
 */
public final class NodeUnreachableException extends EventLogException {
    private static final long serialVersionUID = 1L;

    private final NodeAddress node;

    public NodeUnreachableException(NodeAddress node, String what, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, "node " + node + ": " + what, cause);
        this.node = node;
    }

    public NodeAddress node() {
        return node;
    }
}
