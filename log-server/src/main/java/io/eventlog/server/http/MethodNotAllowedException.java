package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.util.List;

/** A known path asked with a method it does not serve: 405 with an {@code Allow} header. */
final class MethodNotAllowedException extends EventLogException {
    private static final long serialVersionUID = 1L;

    private final List<String> allowed;

    MethodNotAllowedException(String method, String path, List<String> allowed) {
        super(ErrorCode.METHOD_NOT_ALLOWED, "method " + method + " is not allowed on " + path
                + "; allowed: " + String.join(", ", allowed));
        this.allowed = List.copyOf(allowed);
    }

    /** The value of the {@code Allow} header. */
    String allowHeader() {
        return String.join(", ", allowed);
    }
}
