package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.StreamName;
import io.eventlog.api.SubscribeRequest;
import java.util.OptionalLong;

/**
 * Turns the query of a read or subscription ({@code from_version} / {@code from_offset},
 * {@code limit}, {@code min_offset}) and the {@code Last-Event-ID} header into the model's requests.
 */
final class ReadRequestParser {
    static final String FROM_VERSION = "from_version";
    static final String FROM_OFFSET = "from_offset";
    static final String LIMIT = "limit";
    static final String MIN_OFFSET = "min_offset";

    private final HttpConfig config;

    ReadRequestParser(HttpConfig config) {
        this.config = config;
    }

    /**
     * A bounded read of a stream (stream not null) or of the global log. {@code limit} is at
     * least 1; above the configured cap it is lowered to the cap.
     */
    ReadRequest read(String stream, QueryParams query) {
        long from = start(stream, query).orElse(0);
        long limit = query.nonNegative(LIMIT).orElse(config.defaultReadLimit());
        if (limit < 1) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "parameter limit must be at least 1");
        }
        int capped = (int) Math.min(limit, config.maxReadLimit());
        return new ReadRequest(stream, from, capped, minOffset(query));
    }

    /**
     * A subscription of a stream (stream not null) or of the global log. {@code Last-Event-ID}
     * (a version or an offset) wins over {@code from_*} and resumes after that id; with neither
     * the subscription starts at the end.
     */
    SubscribeRequest subscribe(String stream, QueryParams query, String lastEventId) {
        OptionalLong from = start(stream, query);
        if (lastEventId != null) {
            long id = parseLastEventId(lastEventId);
            return new SubscribeRequest(stream, id + 1, false, minOffset(query));
        }
        return new SubscribeRequest(stream, from.orElse(0), from.isEmpty(), minOffset(query));
    }

    /** The start parameter that fits the target; the other one is refused so a typo cannot go unnoticed. */
    private static OptionalLong start(String stream, QueryParams query) {
        if (stream != null) {
            StreamName.requireValid(stream);
        }
        String wanted = stream == null ? FROM_OFFSET : FROM_VERSION;
        String other = stream == null ? FROM_VERSION : FROM_OFFSET;
        if (query.has(other)) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "parameter " + other + " does not apply here; use "
                    + wanted);
        }
        return query.nonNegative(wanted);
    }

    private static long minOffset(QueryParams query) {
        return query.nonNegative(MIN_OFFSET).orElse(-1);
    }

    private static long parseLastEventId(String value) {
        long id = NonNegativeLong.parse("header Last-Event-ID", value.trim(), ErrorCode.INVALID_HEADER);
        if (id == Long.MAX_VALUE) {
            throw new EventLogException(ErrorCode.INVALID_HEADER, "header Last-Event-ID is too large");
        }
        return id;
    }
}
