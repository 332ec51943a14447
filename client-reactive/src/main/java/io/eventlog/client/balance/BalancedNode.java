package io.eventlog.client.balance;

/** What a read balancing strategy may know of a node. */
public interface BalancedNode {

    /** The node's client API address, {@code host:port}. */
    String address();

    /** Requests and subscriptions this client has in flight on the node right now. */
    int outstanding();
}
