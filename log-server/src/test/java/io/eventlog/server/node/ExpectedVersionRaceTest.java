package io.eventlog.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.WrongExpectedVersionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers race for each next version of one stream with Expected-Version. */
class ExpectedVersionRaceTest {
    @TempDir
    Path dir;

    @Test
    void exactlyOneAppendWinsEachVersionAndNoVersionIsSkippedOrDoubled() throws Exception {
        int writers = 16;
        int versions = 300;
        Map<Long, String> winners = new ConcurrentHashMap<>();
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        try (EventLogNode node = EventLogNode.open(NodeConfig.defaults(dir))) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch start = new CountDownLatch(1);
            for (int w = 0; w < writers; w++) {
                String writer = "w" + w;
                pool.execute(() -> {
                    await(start);
                    long expected = -1;
                    while (expected < versions - 1) {
                        AppendOptions options = AppendOptions.DEFAULT.withExpectedVersion(
                                expected < 0 ? ExpectedVersion.NO_STREAM : ExpectedVersion.exactly(expected));
                        try {
                            AppendResult won = node.append("race", EventData.json("\"" + writer + "\""), options)
                                    .block();
                            winners.putIfAbsent(won.version(), writer);
                            wins.incrementAndGet();
                            expected = won.version();
                        } catch (WrongExpectedVersionException lost) {
                            conflicts.incrementAndGet();
                            expected = lost.actual();
                        }
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertEquals(true, pool.awaitTermination(60, TimeUnit.SECONDS));

            List<Entry> stream = node.read(ReadRequest.stream("race", 0, 10_000)).collectList().block();
            assertEquals(LongStream.range(0, versions).boxed().toList(), stream.stream().map(Entry::version).toList());
            for (Entry entry : stream) {
                assertEquals("\"" + winners.get(entry.version()) + "\"", entry.dataAsString());
            }
            assertEquals(versions, winners.size());
            assertEquals(versions, wins.get(), "some version was acknowledged to two writers");
            assertEquals(true, conflicts.get() > 0, "the writers never raced");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
