package io.eventlog.server.http;

import java.nio.channels.ClosedChannelException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/** Recognizes the failures that only mean an HTTP client closed or reset its connection. */
public final class ClientGone {
    private ClientGone() {
    }

    /** Whether the failure is a client closing or resetting the connection: nobody to answer, not a fault of the node. */
    public static boolean is(Throwable error) {
        return error instanceof AbortedException || error instanceof PrematureCloseException
                || error instanceof ClosedChannelException || AbortedException.isConnectionReset(error);
    }
}
