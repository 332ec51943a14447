package io.eventlog.client.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.wire.EntryCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body and headers of an append request (API.md "Append"): one event as {@code application/json},
 * several as an NDJSON batch. HTTP gives a whole batch one {@code Event-Type} and one set of
 * {@code Event-Header-*}, so the events of a batch must share them.
 */
final class AppendBody {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    private final String contentType;
    private final String type;
    private final Map<String, String> headers;
    private final byte[] bytes;

    private AppendBody(String contentType, String type, Map<String, String> headers, byte[] bytes) {
        this.contentType = contentType;
        this.type = type;
        this.headers = headers;
        this.bytes = bytes;
    }

    static AppendBody of(List<EventData> events) {
        if (events.isEmpty()) {
            throw new EventLogException(ErrorCode.EMPTY_BODY, "an append needs at least one event");
        }
        EventData first = events.get(0);
        if (events.size() == 1) {
            return new AppendBody(JSON, first.type(), first.headers(), first.data());
        }
        ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
        for (EventData event : events) {
            if (!Objects.equals(event.type(), first.type()) || !event.headers().equals(first.headers())) {
                throw new EventLogException(ErrorCode.INVALID_PARAMETER,
                        "over HTTP the events of one batch share their type and headers; append them in separate batches");
            }
            ndjson.writeBytes(EntryCodec.singleLine(event.data()));
            ndjson.write('\n');
        }
        return new AppendBody(NDJSON, first.type(), first.headers(), ndjson.toByteArray());
    }

    byte[] bytes() {
        return bytes;
    }

    /** Sets Content-Type, Event-Type and Event-Header-* on the request. */
    void addHeaders(HttpHeaders request) {
        request.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (type != null) {
            request.set("Event-Type", type);
        }
        headers.forEach((name, value) -> request.set("Event-Header-" + name, value));
    }
}
