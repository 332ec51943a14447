package io.eventlog.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The HTTP calls of the client commands, one method per endpoint of API.md.
 *
 * <p>Uses the JDK's {@link java.net.http.HttpClient} rather than reactor-netty's: a command makes one
 * blocking request and exits, so an event loop, its threads and Reactor's assembly buy nothing, and the
 * JDK client starts faster, streams a response body as an {@link InputStream} (which is all
 * {@code tail} needs), and follows a follower's 307 to the leader with the method and body intact.
 *
 * <p>Every failure leaves as a {@link CliException} with its exit code: an error answer through
 * {@link ErrorResponse}, a connection problem as {@link ExitCodes#UNREACHABLE} naming the URL.
 */
public final class NodeClient {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base    the node's base URL, e.g. {@code http://127.0.0.1:7070} (no trailing slash)
     * @param timeout the limit to connect, and to receive a complete answer for the bounded calls
     */
    public NodeClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** POST /v1/streams/{stream}: returns the 201 body. */
    public String append(String stream, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = bounded(streamPath(stream))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** GET /v1/cluster: returns the JSON body. */
    public String cluster() {
        return send(bounded("/v1/cluster").header("Accept", JSON).GET().build());
    }

    /** POST /v1/admin/checkpoint: returns the JSON body. */
    public String checkpoint() {
        return send(bounded("/v1/admin/checkpoint").header("Accept", JSON).POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /**
     * A cluster admin request (API.md, cluster section): {@code method} on {@code path} with an
     * optional JSON body; a follower's 307 to the leader is followed. Returns the new view.
     */
    public String changeCluster(String method, String path, String jsonBody) {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8);
        return send(bounded(path).header("Content-Type", JSON).header("Accept", JSON).method(method, body).build());
    }

    /**
     * GET /v1/streams/{stream} or /v1/log (stream null) as NDJSON, handing each entry line to
     * {@code lines} in order.
     */
    public void read(String stream, Map<String, Long> query, Consumer<String> lines) {
        String path = (stream == null ? "/v1/log" : streamPath(stream)) + queryString(query);
        // A page is bounded (the node caps limit), so it is received whole, within the timeout.
        send(bounded(path).header("Accept", NDJSON).GET().build()).lines()
                .filter(line -> !line.isBlank())
                .forEach(lines);
    }

    /**
     * GET .../subscribe as NDJSON, handing each entry line to {@code lines} as it arrives; returns only
     * when the node ends the response.
     */
    public void subscribe(String stream, Map<String, Long> query, Consumer<String> lines) {
        String path = (stream == null ? "/v1/log" : streamPath(stream)) + "/subscribe" + queryString(query);
        // No request timeout: an idle subscription may send nothing (not even headers) for a long time.
        streamLines(HttpRequest.newBuilder(URI.create(base + path)), lines);
    }

    private HttpRequest.Builder bounded(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response = complete(request);
        if (response.statusCode() / 100 != 2) {
            throw failure(ErrorResponse.parse(response.statusCode(), response.body()));
        }
        return response.body();
    }

    private void streamLines(HttpRequest.Builder request, Consumer<String> lines) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.header("Accept", NDJSON).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            throw interrupted();
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() / 100 != 2) {
                StringBuilder body = new StringBuilder();
                reader.lines().forEach(line -> body.append(line).append('\n'));
                throw failure(ErrorResponse.parse(response.statusCode(), body.toString()));
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.accept(line);
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /**
     * The whole answer within the timeout. (The request timeout of the JDK client ends when the headers
     * arrive; a node that sends headers and then stalls must not hang the command.)
     */
    private HttpResponse<String> complete(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw unreachable(new HttpTimeoutException("request timed out"));
        } catch (ExecutionException e) {
            throw unreachable(e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private CliException interrupted() {
        Thread.currentThread().interrupt();
        return new CliException(ExitCodes.SERVER_ERROR, "interrupted while talking to " + base);
    }

    private static CliException failure(ErrorResponse error) {
        return new CliException(error.exitCode(), error.describe());
    }

    private CliException unreachable(IOException e) {
        String what;
        if (e instanceof HttpConnectTimeoutException) {
            what = "cannot connect to " + base + ": timed out after " + timeout.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            what = "no answer from " + base + " within " + timeout.toSeconds() + " s";
        } else if (e instanceof ConnectException) {
            what = "cannot connect to " + base + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage());
        } else {
            what = "lost the connection to " + base + ": " + e;
        }
        return new CliException(ExitCodes.UNREACHABLE, what + " (is the node running? see --url or EVENTLOG_URL)");
    }

    static String streamPath(String stream) {
        return "/v1/streams/" + URLEncoder.encode(stream, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String queryString(Map<String, Long> query) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null) {
                joined.add(name + "=" + value);
            }
        });
        return joined.toString();
    }
}
