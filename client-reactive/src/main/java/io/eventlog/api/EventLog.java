package io.eventlog.api;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one API of eventlog, implemented by the embedded node (in-process, no network) and by the
 * reactive client (over the network). Both have the same semantics as the HTTP API (API.md).
 *
 * <p>Errors arrive as {@link EventLogException}s carrying an {@link ErrorCode}.
 */
public interface EventLog extends AutoCloseable {

    /**
     * Appends events to a stream, all or nothing. The Mono completes once the entries are committed
     * and durable as the node is configured.
     */
    Mono<AppendResult> append(String stream, List<EventData> events, AppendOptions options);

    default Mono<AppendResult> append(String stream, EventData event) {
        return append(stream, List.of(event), AppendOptions.DEFAULT);
    }

    default Mono<AppendResult> append(String stream, EventData event, AppendOptions options) {
        return append(stream, List.of(event), options);
    }

    /**
     * Committed entries of a stream or of the global log, in order. A stream that does not exist
     * fails with {@link StreamNotFoundException}; a start past the end gives an empty Flux.
     */
    Flux<Entry> read(ReadRequest request);

    /** An endless Flux of committed entries, catch-up first, then live, honouring backpressure. */
    Flux<Entry> subscribe(SubscribeRequest request);

    /** Releases the node or connection. */
    @Override
    void close();
}
