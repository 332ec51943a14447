package io.eventlog.server.cli;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A stand-in for an eventlog node in tests: a reactor-netty HTTP server on 127.0.0.1 and an ephemeral port
 * that records every request it receives and answers with what the test's handler says.
 */
public final class StubNode implements AutoCloseable {
    /** A request as received: method, URI (path and query), headers and the body as UTF-8 text. */
    public record Request(String method, String uri, HttpHeaders headers, String body) {
        public String path() {
            int query = uri.indexOf('?');
            return query < 0 ? uri : uri.substring(0, query);
        }

        /** The raw query string, "" when there is none. */
        public String query() {
            int query = uri.indexOf('?');
            return query < 0 ? "" : uri.substring(query + 1);
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    /** An answer: status, headers and a body that may stream (each element is written as it comes). */
    public record Reply(int status, Map<String, String> headers, Publisher<String> body) {
        public static Reply json(int status, String json) {
            return new Reply(status, Map.of("Content-Type", "application/json"), Mono.just(json));
        }

        public static Reply ndjson(Publisher<String> lines) {
            return new Reply(200, Map.of("Content-Type", "application/x-ndjson"), lines);
        }

        public static Reply error(int status, String code, String message) {
            return json(status, "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    private StubNode(Function<Request, Reply> handler) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            Request recorded = new Request(request.method().name(), request.uri(),
                                    request.requestHeaders().copy(), body);
                            requests.add(recorded);
                            Reply reply = handler.apply(recorded);
                            response.status(reply.status());
                            reply.headers().forEach(response::header);
                            return response.sendString(Flux.from(reply.body()), StandardCharsets.UTF_8).then();
                        }))
                .bindNow();
    }

    /** Starts a stub that answers every request with {@code handler}'s reply. */
    public static StubNode start(Function<Request, Reply> handler) {
        return new StubNode(handler);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The requests received so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
