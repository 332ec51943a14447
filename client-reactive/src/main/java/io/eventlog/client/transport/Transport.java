package io.eventlog.client.transport;

/** Makes connections to nodes over one wire protocol, and owns what they share (event loops, pools). */
public interface Transport extends AutoCloseable {

    NodeConnection connect(NodeAddress address);

    /** Closes every connection made by this transport. */
    @Override
    void close();
}
