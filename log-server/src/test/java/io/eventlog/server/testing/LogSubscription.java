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
 * One run of an NDJSON subscription started by {@link HttpLogClient}: records each delivered entry in the
 * history as it arrives, and its end (the node ended it, the connection broke, an error line, or
 * {@link #close()}) as an info op. {@link HttpLogClient#resume} continues it, under the same id, on any node.
 */
public final class LogSubscription implements AutoCloseable {
    private final History history;
    private final Op invoke;
    private final boolean inStream;
    private CompletableFuture<HttpResponse<Void>> response;
    private Flow.Subscription lines;
    private long lastPosition;
    private int delivered;
    private String endedBecause;

    private LogSubscription(History history, Op invoke, long lastPosition) {
        this.history = history;
        this.invoke = invoke;
        this.inStream = invoke.stream() != null;
        this.lastPosition = lastPosition;
    }

    static LogSubscription start(HttpClient http, HttpRequest request, History history, Op invoke, long lastPosition) {
        LogSubscription subscription = new LogSubscription(history, invoke, lastPosition);
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

    /** The last position delivered (offset, or version for a stream), across resumes; -1 before any. */
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
                if (!line.isBlank()) {
                    deliver(line);
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

    /** Records one NDJSON line: an entry, or the error line that ends a failed subscription. */
    private synchronized void deliver(String line) {
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
        history.delivered(invoke, entry);
        lastPosition = entry.position(inStream);
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
