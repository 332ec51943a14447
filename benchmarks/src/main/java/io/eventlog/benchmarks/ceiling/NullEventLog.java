package io.eventlog.benchmarks.ceiling;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLog;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.StreamName;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.server.append.EventValidator;
import io.eventlog.server.storage.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An {@link EventLog} that stores nothing: it checks and encodes each append as the node does before
 * queueing it (stream name, {@link EventValidator}, {@link RecordCodec#encodeBody}), then answers at once
 * with the next offsets and stream versions. Behind the real HTTP and binary servers it measures what
 * the protocols alone cost on a machine: no log, however fast, can be acknowledged faster through them.
 * Expected-Version and Idempotency-Key are not checked (there is no state to check them against).
 */
final class NullEventLog implements EventLog {
    private final EventValidator validator = new EventValidator();
    private final AtomicLong lastOffset = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> versions = new ConcurrentHashMap<>();

    @Override
    public Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options) {
        return Mono.fromCallable(() -> {
            StreamName.requireValid(stream);
            if (events == null || events.isEmpty()) {
                throw new EventLogException(ErrorCode.EMPTY_BODY, "an append needs at least one event");
            }
            byte[] streamBytes = stream.getBytes(StandardCharsets.UTF_8);
            for (EventData event : events) {
                EventData valid = validator.validate(event);
                RecordCodec.encodeBody(streamBytes, valid.type(), valid.headers(), valid.data());
            }
            int count = events.size();
            long offset = lastOffset.addAndGet(count);
            long version = versions.computeIfAbsent(stream, name -> new AtomicLong(-1)).addAndGet(count);
            return new AppendResult(stream, offset, version, offset - count + 1, version - count + 1, count);
        });
    }

    @Override
    public Flux<Entry> read(ReadRequest request) {
        return Flux.error(storesNothing());
    }

    @Override
    public Flux<Entry> subscribe(SubscribeRequest request) {
        return Flux.error(storesNothing());
    }

    private static EventLogException storesNothing() {
        return new EventLogException(ErrorCode.UNAVAILABLE, "the protocol ceiling server stores nothing to read");
    }

    /** The offset of the last append answered (0 before any). */
    long lastOffset() {
        return lastOffset.get();
    }

    @Override
    public void close() {
    }
}
