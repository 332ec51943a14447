package io.eventlog.server.testing;

import io.eventlog.server.testing.history.EntryRef;
import io.eventlog.server.testing.history.History;
import io.eventlog.server.testing.history.Op;
import io.eventlog.wire.EntryCodec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * One run of a subscription started by {@link HttpLogClient}, NDJSON or Server-Sent Events: records each
 * delivered entry in the history as it arrives, and its end (the node ended it, the connection broke, an error
 * line or event, or {@link #close()}) as an info op. {@link HttpLogClient#resume} continues it, under the same
 * id and in the same format, on any node.
 */
public final class LogSubscription implements AutoCloseable {
    private final History history;
    private final Op invoke;
    private final boolean inStream;
    private final SseEventReader sse;
    private CompletableFuture<HttpResponse<Void>> response;
    private Flow.Subscription lines;
    private long lastPosition;
    private int delivered;
    private String endedBecause;

    private LogSubscription(History history, Op invoke, long lastPosition, boolean sse) {
        this.history = history;
        this.invoke = invoke;
        this.inStream = invoke.stream() != null;
        this.lastPosition = lastPosition;
        this.sse = sse ? new SseEventReader() : null;
    }

    /** @param sse whether the request asks for Server-Sent Events (else NDJSON) */
    static LogSubscription start(HttpClient http, HttpRequest request, History history, Op invoke, long lastPosition,
                                 boolean sse) {
        LogSubscription subscription = new LogSubscription(history, invoke, lastPosition, sse);
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, subscription::bodyFor);
        response.whenComplete((r, failure) -> subscription.end(failure == null ? "the response ended"
                : "connection: " + failure));
        synchronized (subscription) {
            subscription.response = response;
        }
        return subscription;
    }

    /** The invoke of this run: the start of the subscription, or a resume. */
    public Op invoke() {
        return invoke;
    }

    /** Whether it reads Server-Sent Events (else NDJSON). */
    public boolean isSse() {
        return sse != null;
    }

    /**
     * The last position delivered (offset, or version for a stream), across resumes; -1 before any. With SSE it
     * is the {@code id:} of the last entry event, what an EventSource sends back as {@code Last-Event-ID}.
     */
    public synchronized long lastPosition() {
        return lastPosition;
    }

    /** Entries delivered in this run. */
    public synchronized int delivered() {
        return delivered;
    }

    public synchronized boolean isEnded() {
        return endedBecause != null;
    }

    /** Why this run ended, or null while it runs. */
    public synchronized String endedBecause() {
        return endedBecause;
    }

    /** Waits until position {@code position} is delivered; false if the run ends or the time is up first. */
    public synchronized boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastPosition < position && endedBecause == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return lastPosition >= position;
    }

    /** Waits until this run ends; false if the time is up first. */
    public synchronized boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (endedBecause == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Ends the run; nothing delivered after this is recorded. */
    @Override
    public void close() {
        Flow.Subscription toCancel;
        CompletableFuture<HttpResponse<Void>> toAbandon;
        synchronized (this) {
            end("closed by the test");
            toCancel = lines;
            toAbandon = response;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        if (toAbandon != null) {
            toAbandon.cancel(true);
        }
    }

    private HttpResponse.BodySubscriber<Void> bodyFor(HttpResponse.ResponseInfo info) {
        if (info.statusCode() != 200) {
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), body -> {
                end(AppendOutcomes.describe(info.statusCode(), body));
                return null;
            });
        }
        return HttpResponse.BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                boolean ended;
                synchronized (LogSubscription.this) {
                    lines = subscription;
                    ended = endedBecause != null;
                }
                if (ended) {
                    subscription.cancel();
                } else {
                    subscription.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(String line) {
                if (sse != null) {
                    readSse(line);
                } else if (!line.isBlank()) {
                    deliver(line, null);
                }
            }

            @Override
            public void onError(Throwable failure) {
                end("connection: " + failure);
            }

            @Override
            public void onComplete() {
                end("the node ended the stream");
            }
        });
    }

    /** Feeds one SSE line to the reader: an entry event is delivered, an error event ends the run. */
    private void readSse(String line) {
        SseEventReader.SseEvent event;
        synchronized (this) {
            event = sse.accept(line);
        }
        if (event == null) {
            return;
        }
        if ("entry".equals(event.event())) {
            deliver(event.data(), event.id());
        } else {
            end("SSE event " + event.event() + ": " + event.data());
        }
    }

    /**
     * Records one entry (an NDJSON line, or an SSE entry event's data and id) or the error line that ends a
     * failed NDJSON subscription.
     */
    private synchronized void deliver(String line, String sseId) {
        if (endedBecause != null) {
            return; // after close(): a resume may already have taken over from lastPosition
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (AppendOutcomes.errorCode(bytes) != null) {
            end("error line: " + line);
            return;
        }
        EntryRef entry;
        try {
            entry = HttpLogClient.entryRef(EntryCodec.decode(bytes));
        } catch (RuntimeException e) {
            end("not an entry: " + line);
            return;
        }
        long id;
        try {
            id = sseId == null ? entry.position(inStream) : Long.parseLong(sseId);
        } catch (NumberFormatException e) {
            end("an SSE entry event without a numeric id: " + sseId);
            return;
        }
        history.delivered(invoke, entry);
        lastPosition = id;
        delivered++;
        notifyAll();
    }

    private synchronized void end(String reason) {
        if (endedBecause == null) {
            endedBecause = reason;
            history.info(invoke, reason);
            notifyAll();
        }
    }
}
