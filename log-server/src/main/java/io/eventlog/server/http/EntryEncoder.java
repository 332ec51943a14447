package io.eventlog.server.http;

import io.eventlog.api.Entry;
import io.eventlog.wire.ErrorBody;

/** How a subscription frames entries on the wire. */
interface EntryEncoder {

    /** The response's Content-Type. */
    String contentType();

    /** One entry as one frame. */
    byte[] entry(Entry entry);

    /** The last frame of a subscription that failed after it began. */
    byte[] error(ErrorBody error);

    /** A frame that keeps an idle connection alive, or null when the format has none. */
    byte[] heartbeat();
}
