package io.eventlog.server.checkpoint;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.EventData;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.WrongExpectedVersionException;
import io.eventlog.server.node.EventLogNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Seeded random appends to a node, in concurrent bursts (so the writer groups them): single events
 * and small batches over many streams, some with an Idempotency-Key drawn from a small pool (so
 * retries of stored appends occur), some with an Expected-Version that may not hold. Remembers the
 * first result of every key, which a retry must get back.
 */
final class RandomAppends {
    private final SplittableRandom random;
    private final int streams;
    private final Map<String, AppendResult> firstResultByKey = new LinkedHashMap<>();

    RandomAppends(SplittableRandom random, int streams) {
        this.random = random;
        this.streams = streams;
    }

    /** An append's key ("stream/key", null for none) and its result (null for a conflict). */
    private record Outcome(String key, AppendResult result) {
    }

    /** Sends one burst of up to {@code maxBurst} appends at once and waits for every answer. */
    void burst(EventLogNode node, int maxBurst) {
        List<Mono<Outcome>> appends = new ArrayList<>();
        for (int i = 1 + random.nextInt(maxBurst); i > 0; i--) {
            String stream = "s" + random.nextInt(streams);
            String key = random.nextInt(10) < 3 ? "k" + random.nextInt(200) : null;
            AppendOptions options = AppendOptions.DEFAULT.withIdempotencyKey(key);
            if (random.nextInt(10) == 0) {
                options = options.withExpectedVersion(ExpectedVersion.exactly(random.nextInt(20)));
            }
            List<EventData> events = new ArrayList<>();
            for (int e = 1 + random.nextInt(4); e > 0; e--) {
                events.add(EventData.json("T" + random.nextInt(3), "{\"n\":" + random.nextInt(1_000_000) + "}"));
            }
            String keyOfStream = key == null ? null : stream + "/" + key;
            appends.add(node.append(stream, events, options)
                    .map(result -> new Outcome(keyOfStream, result))
                    .onErrorResume(WrongExpectedVersionException.class, conflict -> Mono.just(new Outcome(null, null))));
        }
        for (Outcome outcome : Flux.merge(appends).collectList().block()) {
            if (outcome.key() != null) {
                firstResultByKey.putIfAbsent(outcome.key(), outcome.result());
            }
        }
    }

    /** The first result of each key, by "stream/key". */
    Map<String, AppendResult> firstResultByKey() {
        return firstResultByKey;
    }
}
