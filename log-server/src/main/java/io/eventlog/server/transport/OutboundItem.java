package io.eventlog.server.transport;

import io.eventlog.replication.Message;

/** Something waiting to be sent to one peer, with the bytes it counts for in that peer's queue. */
sealed interface OutboundItem {

    int size();

    record Raft(Message message, int size) implements OutboundItem {
    }

    record App(byte[] data) implements OutboundItem {
        @Override
        public int size() {
            return data.length;
        }
    }
}
