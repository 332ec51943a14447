package io.eventlog.server.transport;

/** Receives the APP frames peers send with {@link PeerTransport#sendApp}. */
@FunctionalInterface
public interface AppHandler {

    /** Called on a transport I/O thread, in the order the sender sent them: hand the bytes off, do not block. */
    void onAppMessage(long fromNodeId, byte[] data);
}
