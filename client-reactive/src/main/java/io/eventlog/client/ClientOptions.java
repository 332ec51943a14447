package io.eventlog.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.client.balance.ReadBalancer;
import io.eventlog.client.failover.RetryPolicy;
import io.eventlog.client.transport.NodeAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link EventLogClient} is configured with; made by {@link EventLogClient.Builder}.
 *
 * @param nodes           addresses of the nodes to start from (more are learnt from {@code /v1/cluster})
 * @param requestTimeout  longest wait for one node's answer (a read: for its first entry); default 10 s,
 *                        above a node's own append timeout (5 s) so the node's 504 arrives first
 * @param connectTimeout  longest wait for a TCP connection; default 2 s
 * @param retry           backoff, attempts and deadline of retries; default 50 ms to 2 s, 10 attempts, 30 s
 * @param readBalancer    which node a read or subscription goes to; default least outstanding requests
 * @param readsFromLeader whether reads may go to the leader; default true (false still uses the
 *                        leader when no follower is up)
 * @param nodeDownTime    how long a node that failed is skipped; default 2 s
 * @param json            the Jackson mapper for typed events
 */
public record ClientOptions(List<NodeAddress> nodes, Duration requestTimeout, Duration connectTimeout, RetryPolicy retry,
                            ReadBalancer readBalancer, boolean readsFromLeader, Duration nodeDownTime, ObjectMapper json) {

    public ClientOptions {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "the client needs at least one node address");
        }
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("nodeDownTime", nodeDownTime);
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(readBalancer, "readBalancer");
        Objects.requireNonNull(json, "json");
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, name + " must be positive, was " + value);
        }
    }
}
