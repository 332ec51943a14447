package io.eventlog.binary;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.wire.ErrorBody;
import java.util.List;

/**
 * The frames of the binary protocol (docs/PROTOCOL.md). Every frame but HELLO belongs to a request,
 * named by the id the client chose; the server's answers carry the same id, so many requests can
 * be in flight on one connection and answered in any order.
 */
public sealed interface Frame {

    /** The request this frame belongs to; 0 for HELLO and for a connection-level ERROR. */
    long requestId();

    /** What a client sends. */
    sealed interface FromClient extends Frame {
    }

    /** What a server sends. */
    sealed interface FromServer extends Frame {
    }

    // Client to server.

    /** Opens a connection: the protocol version the client speaks. */
    record Hello(int version) implements FromClient {
        @Override
        public long requestId() {
            return 0;
        }
    }

    record Append(long requestId, String stream, List<EventData> events, AppendOptions options) implements FromClient {
    }

    /** Answered by ENTRY frames, then END. */
    record Read(long requestId, ReadRequest request) implements FromClient {
    }

    /** Answered by ENTRY frames, never more than the credit granted so far. */
    record Subscribe(long requestId, SubscribeRequest request, long credit) implements FromClient {
    }

    /** Allows the server to send {@code credit} more entries of the subscription {@code requestId}. */
    record Credit(long requestId, long credit) implements FromClient {
    }

    /** Ends the subscription {@code requestId}; the server answers END. */
    record Cancel(long requestId) implements FromClient {
    }

    /** Asks what the node knows of its cluster; answered by CLUSTER_STATE. */
    record Cluster(long requestId) implements FromClient {
    }

    // Server to client.

    /** The server accepted the HELLO and speaks {@code version}. */
    record HelloOk(int version, String nodeId) implements FromServer {
        @Override
        public long requestId() {
            return 0;
        }
    }

    record Appended(long requestId, AppendResult result) implements FromServer {
    }

    record EntryFrame(long requestId, Entry entry) implements FromServer {
    }

    /**
     * What the answering node knows of its cluster.
     *
     * @param node        the answering node's id
     * @param leader      the leader's id, or null while none is known
     * @param commitIndex the commit index it knows (a single node: its last offset)
     */
    record ClusterState(long requestId, String node, String leader, long commitIndex) implements FromServer {
    }

    /**
     * The server is alive: sent at a fixed interval on every connection, so a client that hears
     * nothing for longer knows the node or the path to it is gone, even with no request in flight.
     */
    record Heartbeat() implements FromServer {
        @Override
        public long requestId() {
            return 0;
        }
    }

    /** A read, or a cancelled subscription, has ended. */
    record End(long requestId) implements FromServer {
    }

    /**
     * The request failed (or, with id 0, the connection: it is closed next). The body is the same
     * JSON error body HTTP answers with (API.md), so an error means the same thing on both.
     */
    record Error(long requestId, ErrorBody body) implements FromServer {
        public static Error of(long requestId, EventLogException e) {
            return new Error(requestId, ErrorBody.of(e));
        }
    }
}
