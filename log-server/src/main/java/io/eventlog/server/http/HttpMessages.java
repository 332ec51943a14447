package io.eventlog.server.http;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/** Facts about netty's HTTP messages that several handlers of a connection act on. */
final class HttpMessages {
    private HttpMessages() {
    }

    /**
     * Whether writing {@code msg} ends a response. A 100 Continue is a whole message too, but the
     * request it answers goes on.
     */
    static boolean endsResponse(Object msg) {
        boolean interim = msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        return msg instanceof LastHttpContent && !interim;
    }
}
