package io.eventlog.client;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A scripted node for protocol-level tests: a real HTTP server on loopback that records every
 * request and answers as the test says.
 */
final class FakeNode implements AutoCloseable {

    /** A request as the node received it. */
    record Request(String method, String uri, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final DisposableServer server;
    private volatile BiFunction<Request, HttpServerResponse, Publisher<Void>> responder;

    FakeNode(BiFunction<Request, HttpServerResponse, Publisher<Void>> responder) {
        this.responder = responder;
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            Request received = new Request(request.method().name(), request.uri(),
                                    request.requestHeaders().copy(), body);
                            requests.add(received);
                            return Mono.from(this.responder.apply(received, response));
                        }))
                .bindNow();
    }

    String address() {
        return "127.0.0.1:" + server.port();
    }

    void answer(BiFunction<Request, HttpServerResponse, Publisher<Void>> value) {
        responder = value;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests whose path starts with the prefix (the cluster view asked during discovery left out). */
    List<Request> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.uri().startsWith(pathPrefix)).collect(Collectors.toList());
    }

    static Publisher<Void> json(HttpServerResponse response, int status, String body) {
        return response.status(status).header("Content-Type", "application/json").sendString(Mono.just(body)).then();
    }

    static Publisher<Void> error(HttpServerResponse response, int status, String code, String message) {
        return json(response, status, "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    /** {@code /v1/cluster} of a node {@code self} that knows {@code leader} (null: none) and the members' addresses. */
    static Publisher<Void> cluster(HttpServerResponse response, String self, String leader, long commitIndex,
                                   Map<String, String> members) {
        String list = members.entrySet().stream()
                .map(m -> "{\"id\":\"" + m.getKey() + "\",\"address\":\"" + m.getValue() + "\",\"role\":\""
                        + (m.getKey().equals(leader) ? "leader" : "follower") + "\",\"match_index\":null}")
                .collect(Collectors.joining(","));
        return json(response, 200, "{\"node\":\"" + self + "\",\"leader\":" + (leader == null ? "null" : "\"" + leader + "\"")
                + ",\"term\":1,\"commit_index\":" + commitIndex + ",\"members\":[" + list + "]}");
    }

    static String appendResult(String stream, long offset, long version) {
        return "{\"stream\":\"" + stream + "\",\"offset\":" + offset + ",\"version\":" + version + ",\"first_offset\":"
                + offset + ",\"first_version\":" + version + ",\"count\":1}";
    }

    static String entry(String stream, long offset, long version) {
        return "{\"offset\":" + offset + ",\"stream\":\"" + stream + "\",\"version\":" + version
                + ",\"timestamp\":1,\"type\":\"T\",\"data\":{\"n\":" + version + "}}\n";
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
