package io.eventlog.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.Consumer;

/**
 * Which requests {@link DirectAppends} serves, and how: appends whose head the append route
 * accepts and whose whole body is announced by a Content-Length within the limit. The rest, and
 * every refusal of a head, goes to reactor-netty's routes, which answer them as they always have.
 * Shared by the connections of a server.
 */
final class DirectAppendRoute {
    private static final String METHOD = HttpMethod.POST.name();

    private final Router router;
    private final AppendHandler appends;
    private final HttpMetrics metrics;
    private final long maxBodyBytes;

    /** An append served directly: what its head asked for, and how long its body is. */
    record Request(String route, AppendRequestParser.Head head, int contentLength, String uri, boolean keepAlive,
                   long startNanos) {
    }

    DirectAppendRoute(Router router, AppendHandler appends, HttpMetrics metrics, long maxBodyBytes) {
        this.router = router;
        this.appends = appends;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The append this request's head asks for, or null when it is not one served directly. */
    Request accept(HttpRequest request) {
        if (request.method() != HttpMethod.POST || request.protocolVersion() != HttpVersion.HTTP_1_1) {
            return null;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.EXPECT) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return null;
        }
        try {
            long length = HttpUtil.getContentLength(request, -1L);
            if (length < 0 || length > maxBodyBytes) {
                return null;
            }
            Router.Match match = router.match(HttpMethod.POST, HttpApi.path(request.uri()));
            if (match.handler() != appends) {
                return null;
            }
            return new Request(match.route(), appends.head(match.param(), headers), (int) length, request.uri(),
                    HttpUtil.isKeepAlive(request), System.nanoTime());
        } catch (RuntimeException refused) {
            return null; // reactor-netty's route gives the refusal its usual answer
        }
    }

    /** Appends the body and hands its answer to {@code answered}, on the thread the append completes on. */
    void append(Request request, byte[] body, Consumer<JsonAnswer> answered) {
        appends.append(request.head(), body).subscribe(
                result -> answered.accept(AppendHandler.created(result)),
                error -> answered.accept(ErrorResponder.answer(error, request.uri(), false)));
    }

    /** Counts the answered request in the API's request metrics. */
    void answered(Request request, int status) {
        metrics.record(request.route(), METHOD, status, System.nanoTime() - request.startNanos());
    }
}
