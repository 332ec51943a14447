package io.eventlog.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.Entry;
import io.eventlog.api.ReadRequest;
import io.eventlog.server.EventLogServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A server on 127.0.0.1 with an ephemeral port and a small blocking HTTP client for tests. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final EventLogServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(Path dataDir, UnaryOperator<HttpConfig> http) {
        HttpConfig config = http.apply(HttpConfig.defaults().withHost("127.0.0.1").withPort(0));
        server = EventLogServer.start(EventLogServer.Options.defaults(dataDir).withHttp(config));
    }

    TestServer(Path dataDir) {
        this(dataDir, UnaryOperator.identity());
    }

    /** A response read whole. */
    record Response(int status, HttpHeaders headers, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body(), e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String errorCode() {
            return json().path("error").asText(null);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    Response send(HttpRequest request) {
        return send(client, request);
    }

    /** Sends on a connection of its own, so that each case is judged alone. */
    Response sendOnNewConnection(HttpRequest request) {
        return send(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), request);
    }

    private static Response send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String pathAndQuery, String... headers) {
        return send(request(pathAndQuery, headers).GET().build());
    }

    Response post(String pathAndQuery, String body, String... headers) {
        return post(pathAndQuery, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response post(String pathAndQuery, byte[] body, String... headers) {
        return send(request(pathAndQuery, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Every entry of the global log, straight from the node. */
    List<Entry> globalLog() {
        return server.node().read(ReadRequest.log(0, 1_000_000)).collectList().block(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        server.close();
    }
}
