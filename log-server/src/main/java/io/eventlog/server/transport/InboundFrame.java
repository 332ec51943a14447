package io.eventlog.server.transport;

import io.eventlog.replication.Message;
import java.util.List;

/** A decoded frame, as {@link FrameDecoder} hands it to {@link InboundHandler}. */
sealed interface InboundFrame {

    /** The first frame on every connection: who is sending, and where its HTTP API is. */
    record Hello(long nodeId, String httpAddress) implements InboundFrame {
    }

    record RaftMessages(List<Message> messages) implements InboundFrame {
    }

    /** Opaque bytes for the driver. */
    record AppData(byte[] data) implements InboundFrame {
    }
}
