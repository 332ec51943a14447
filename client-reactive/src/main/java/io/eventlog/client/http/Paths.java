package io.eventlog.client.http;

import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import java.util.StringJoiner;

/** The request URIs of API.md. Valid stream names need no percent-encoding. */
final class Paths {
    static final String CLUSTER = "/v1/cluster";

    private Paths() {
    }

    static String stream(String stream) {
        return "/v1/streams/" + stream;
    }

    static String read(ReadRequest request) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.add(start(request.isLog()) + request.from()).add("limit=" + request.limit());
        addMinOffset(query, request.minOffset());
        return (request.isLog() ? "/v1/log" : stream(request.stream())) + query;
    }

    static String subscribe(SubscribeRequest request) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        if (!request.fromEnd()) {
            query.add(start(request.isLog()) + request.from());
        }
        addMinOffset(query, request.minOffset());
        return (request.isLog() ? "/v1/log" : stream(request.stream())) + "/subscribe" + query;
    }

    private static String start(boolean log) {
        return log ? "from_offset=" : "from_version=";
    }

    private static void addMinOffset(StringJoiner query, long minOffset) {
        if (minOffset >= 0) {
            query.add("min_offset=" + minOffset);
        }
    }
}
