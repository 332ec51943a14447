package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The query parameters of a request, with strict integer parsing: a value that is not a decimal
 * integer, is negative, overflows, is empty or is given twice is 400 {@code invalid_parameter}.
 */
final class QueryParams {
    private final Map<String, List<String>> params;

    private QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    static QueryParams of(String uri) {
        try {
            return new QueryParams(new QueryStringDecoder(uri).parameters());
        } catch (IllegalArgumentException e) {
            throw new EventLogException(ErrorCode.INVALID_PARAMETER, "malformed query string: " + e.getMessage());
        }
    }

    boolean has(String name) {
        return params.containsKey(name);
    }

    /** A non-negative integer parameter, or empty when absent. */
    OptionalLong nonNegative(String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return OptionalLong.empty();
        }
        if (values.size() != 1) {
            throw invalid(name, "is given more than once");
        }
        return OptionalLong.of(NonNegativeLong.parse("parameter " + name, values.get(0), ErrorCode.INVALID_PARAMETER));
    }

    private static EventLogException invalid(String name, String problem) {
        return new EventLogException(ErrorCode.INVALID_PARAMETER, "parameter " + name + " " + problem);
    }
}
