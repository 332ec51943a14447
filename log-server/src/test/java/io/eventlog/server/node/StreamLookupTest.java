package io.eventlog.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ReadRequest;
import io.eventlog.server.checkpoint.CheckpointConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** {@code from_version=V} on a stream of a million entries goes straight to V: it never scans the log. */
class StreamLookupTest {
    @TempDir
    Path dir;

    @Test
    void readingFromAVersionDeepInABigStreamReadsOnlyTheEntriesReturned() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // No checkpoint after the millionth entry: reading its anchor record would count among the excerpts.
        NodeConfig config = NodeConfig.defaults(dir).withMeterRegistry(meters)
                .withCheckpoints(CheckpointConfig.defaults().withEveryEntries(Long.MAX_VALUE));
        try (EventLogNode node = EventLogNode.open(config)) {
            int batches = 1000;
            int perBatch = 1000;
            Flux.range(0, batches).concatMap(b -> Flux.merge(
                    node.append("big", IntStream.range(0, perBatch)
                            .mapToObj(i -> EventData.json(Integer.toString(b * perBatch + i))).toList(),
                            AppendOptions.DEFAULT),
                    node.append("small-" + (b % 10), EventData.json("0"))), 4).blockLast();

            for (long from : new long[] {0, 500_000, 999_990}) {
                double before = excerptsRead(meters);
                List<Entry> page = node.read(ReadRequest.stream("big", from, 10)).collectList().block();
                assertEquals(LongStream.range(from, from + 10).boxed().toList(),
                        page.stream().map(Entry::version).toList());
                assertEquals(Long.toString(from), page.get(0).dataAsString());
                assertEquals(10.0, excerptsRead(meters) - before, "excerpts read for from_version=" + from);
            }
        }
    }

    private static double excerptsRead(SimpleMeterRegistry meters) {
        return meters.get("eventlog.log.excerpts.read").functionCounter().count();
    }
}
