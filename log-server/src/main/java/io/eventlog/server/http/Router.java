package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Matches a method and path to a handler. A path template is literal segments and at most one
 * parameter segment: {@code {stream}} (percent-decoded and checked as a stream name) or
 * {@code {id}} (taken as it is). An unknown path is 404 {@code not_found};
 * a known path with another method is 405 {@code method_not_allowed} with the allowed methods.
 */
final class Router {

    /** Serves one request; {@code param} is the path's parameter segment (decoded stream name, or id) or null. */
    @FunctionalInterface
    interface Handler {
        Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response, String param);
    }

    /** A matched route: its name (for metrics), its handler and the path's parameter segment. */
    record Match(String route, Handler handler, String param) {
    }

    private record Route(String template, String[] segments, Map<HttpMethod, Handler> handlers) {
    }

    private static final String STREAM = "{stream}";
    private static final String ID = "{id}";

    private final List<Route> routes = new ArrayList<>();

    Router add(HttpMethod method, String template, Handler handler) {
        Route route = routes.stream().filter(r -> r.template.equals(template)).findFirst().orElseGet(() -> {
            Route created = new Route(template, split(template), new LinkedHashMap<>());
            routes.add(created);
            return created;
        });
        route.handlers.put(method, handler);
        return this;
    }

    /** The route for a request; throws {@code not_found}, {@code method_not_allowed} or {@code invalid_stream}. */
    Match match(HttpMethod method, String path) {
        String[] segments = split(path);
        for (Route route : routes) {
            if (matches(route.segments, segments)) {
                Handler handler = route.handlers.get(method);
                if (handler == null) {
                    List<String> allowed = route.handlers.keySet().stream().map(HttpMethod::name).toList();
                    throw new MethodNotAllowedException(method.name(), path, allowed);
                }
                return new Match(route.template, handler, parameter(route.segments, segments));
            }
        }
        throw new EventLogException(ErrorCode.NOT_FOUND, "no such path: " + path);
    }

    private static boolean matches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            if (!isParameter(template[i]) && !template[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isParameter(String templateSegment) {
        return templateSegment.equals(STREAM) || templateSegment.equals(ID);
    }

    private static String parameter(String[] template, String[] segments) {
        for (int i = 0; i < template.length; i++) {
            if (template[i].equals(STREAM)) {
                return PercentDecoder.decodeStreamName(segments[i]);
            }
            if (template[i].equals(ID)) {
                return segments[i];
            }
        }
        return null;
    }

    /** The segments between slashes, as {@code path.split("/", -1)} gives them, without its list and copies. */
    static String[] split(String path) {
        int count = 1;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] segments = new String[count];
        int start = 0;
        for (int i = 0; i < count - 1; i++) {
            int slash = path.indexOf('/', start);
            segments[i] = path.substring(start, slash);
            start = slash + 1;
        }
        segments[count - 1] = path.substring(start);
        return segments;
    }
}
