package io.eventlog.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.server.testing.history.EntryRef;
import io.eventlog.server.testing.history.History;
import io.eventlog.server.testing.history.Op;
import io.eventlog.server.testing.history.Op.Phase;
import io.eventlog.wire.AppendResultCodec;
import io.eventlog.wire.EntryCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client of the fault tests: talks to one node over HTTP and records every operation in a
 * {@link History}, with its outcome classified by {@link AppendOutcomes}. Appends carry data
 * {@code {"id":"<payload>"}}, the unique payload id the checker follows through reads and subscriptions.
 *
 * <p>It follows a follower's 307 to the leader (API.md); a test that routes a node through a
 * {@link TcpProxy} should note that the redirect goes to the address the leader advertises.
 */
public final class HttpLogClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NDJSON = "application/x-ndjson";
    private static final String EVENT_STREAM = "text/event-stream";
    /** The most a node must return per read (API.md), so that a whole log takes few pages. */
    private static final int PAGE = 10_000;

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base    the node, e.g. {@code http://127.0.0.1:7070}
     * @param timeout to connect, and for a whole answer to an append or a page of a read
     */
    public HttpLogClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public URI base() {
        return base;
    }

    /**
     * Appends one event holding {@code payload} to {@code stream}, recording the invoke and its outcome.
     *
     * @param idempotencyKey sent as {@code Idempotency-Key} when not null
     * @return the completion: ok, fail or info
     */
    public Op append(History history, String process, String stream, String payload, String idempotencyKey) {
        Op invoke = history.invokeAppend(process, base.toString(), stream, payload);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/streams/" + pathSegment(stream)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payloadData(payload)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<byte[]> response;
        try {
            response = sendWithin(request.build());
        } catch (IOException e) {
            String error = e.toString();
            return AppendOutcomes.ofFailure(e) == Phase.FAIL ? history.fail(invoke, error) : history.info(invoke, error);
        }
        Phase outcome = AppendOutcomes.ofStatus(response.statusCode(), response.body());
        String described = AppendOutcomes.describe(response.statusCode(), response.body());
        if (outcome == Phase.OK) {
            try {
                AppendResult result = AppendResultCodec.decode(response.body());
                return history.appendOk(invoke, result.stream(), result.offset(), result.version());
            } catch (RuntimeException e) {
                return history.info(invoke, "a 201 whose body is not an append result: " + described);
            }
        }
        return outcome == Phase.FAIL ? history.fail(invoke, described) : history.info(invoke, described);
    }

    /**
     * Reads the whole global log, page by page, and records it as a final read.
     *
     * @param minOffset when above 0, the node first waits until it has applied this offset (API.md
     *                  {@code min_offset}): a final read after the last acknowledged append
     * @return the completion: ok with the entries, or fail with why the read did not complete
     */
    public Op readLog(History history, String process, long minOffset) {
        Op invoke = history.invokeReadLog(process, base.toString());
        List<EntryRef> log = new ArrayList<>();
        try {
            for (long from = 0; ; from = log.get(log.size() - 1).offset() + 1) {
                String query = "/v1/log?from_offset=" + from + "&limit=" + PAGE
                        + (log.isEmpty() && minOffset > 0 ? "&min_offset=" + minOffset : "");
                HttpResponse<byte[]> page = sendWithin(HttpRequest.newBuilder(uri(query)).header("Accept", NDJSON)
                        .GET().build());
                if (page.statusCode() != 200) {
                    return history.fail(invoke, AppendOutcomes.describe(page.statusCode(), page.body()));
                }
                int before = log.size();
                new String(page.body(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank())
                        .forEach(line -> log.add(entryRef(EntryCodec.decode(line.getBytes(StandardCharsets.UTF_8)))));
                if (log.size() == before) {
                    return history.readLogOk(invoke, log);
                }
            }
        } catch (IOException | RuntimeException e) {
            return history.fail(invoke, e.toString());
        }
    }

    /**
     * Waits (API.md {@code min_offset}, bounded by the node) until the node has applied {@code offset}; false when
     * it answers otherwise or not within this client's timeout.
     */
    public boolean awaitApplied(long offset) {
        try {
            return sendWithin(HttpRequest.newBuilder(uri("/v1/log?from_offset=" + offset + "&limit=1&min_offset="
                    + offset)).GET().build()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Subscribes (NDJSON) to the global log ({@code stream} null) or a stream from position {@code from},
     * recording each delivered entry as it arrives, until the subscription ends or is closed.
     */
    public LogSubscription subscribe(History history, String process, String id, String stream, long from) {
        return subscribe(history, process, id, stream, from, false);
    }

    /** As {@link #subscribe}, with Server-Sent Events ({@code Accept: text/event-stream}) instead of NDJSON. */
    public LogSubscription subscribeSse(History history, String process, String id, String stream, long from) {
        return subscribe(history, process, id, stream, from, true);
    }

    private LogSubscription subscribe(History history, String process, String id, String stream, long from,
                                      boolean sse) {
        Op invoke = history.invokeSubscribe(process, base.toString(), id, stream, from, null);
        HttpRequest request = subscribeRequest(stream, "?" + (stream == null ? "from_offset=" : "from_version=") + from,
                sse).build();
        return LogSubscription.start(http, request, history, invoke, -1, sse);
    }

    /**
     * Resumes {@code previous} (closing it first if it still runs) on this client's node, with
     * {@code Last-Event-ID} set to the last position it was delivered (with SSE: the last event id), as an
     * EventSource reconnects; when it was delivered nothing, from where it started. The format stays the same.
     */
    public LogSubscription resume(History history, LogSubscription previous) {
        previous.close();
        Op started = previous.invoke();
        long last = previous.lastPosition();
        if (last < 0) {
            return subscribe(history, started.process(), started.subscription(), started.stream(),
                    started.from() != null ? started.from() : 0, previous.isSse());
        }
        Op invoke = history.invokeSubscribe(started.process(), base.toString(), started.subscription(),
                started.stream(), null, last);
        HttpRequest request = subscribeRequest(started.stream(), "", previous.isSse())
                .header("Last-Event-ID", Long.toString(last)).build();
        return LogSubscription.start(http, request, history, invoke, last, previous.isSse());
    }

    /** The data an append of {@code payload} carries. */
    public static byte[] payloadData(String payload) {
        return JSON.createObjectNode().put("id", payload).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An entry as a history records it: its payload is the {@code id} of its data, else the data itself. */
    public static EntryRef entryRef(Entry entry) {
        String payload;
        try {
            JsonNode id = JSON.readTree(entry.data()).get("id");
            payload = id != null && id.isTextual() ? id.textValue() : entry.dataAsString();
        } catch (IOException e) {
            payload = entry.dataAsString();
        }
        return new EntryRef(entry.offset(), entry.stream(), entry.version(), payload);
    }

    private HttpRequest.Builder subscribeRequest(String stream, String query, boolean sse) {
        String path = stream == null ? "/v1/log/subscribe" : "/v1/streams/" + pathSegment(stream) + "/subscribe";
        // No request timeout: a quiet subscription may send nothing for a long time.
        return HttpRequest.newBuilder(uri(path + query)).header("Accept", sse ? EVENT_STREAM : NDJSON).GET();
    }

    /**
     * The whole answer within the timeout. (The JDK client's request timeout stops at the headers; a node
     * that sends them and then stalls must still end in a timeout.)
     */
    private HttpResponse<byte[]> sendWithin(HttpRequest request) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> response = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private static String pathSegment(String stream) {
        return URLEncoder.encode(stream, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
