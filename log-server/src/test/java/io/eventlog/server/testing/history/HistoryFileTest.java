package io.eventlog.server.testing.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link History}'s file: one JSON line per op, written as it happens, read back whole. */
class HistoryFileTest {
    @TempDir
    Path dir;

    @Test
    void eachOpIsOneJsonLineInTheFileAsSoonAsItIsRecorded() throws Exception {
        Path file = dir.resolve("history.jsonl");
        try (History history = History.writingTo(file)) {
            Op invoke = history.invokeAppend("w1", "http://127.0.0.1:7001", "s1", "a1");
            assertEquals(List.of(invoke.toJson()), Files.readAllLines(file));
            history.appendOk(invoke, "s1", 1, 0);
            List<String> lines = Files.readAllLines(file);
            assertEquals(2, lines.size());
            assertEquals("{\"index\":1,\"time\":" + history.ops().get(1).time() + ",\"process\":\"w1\",\"phase\":\"ok\","
                    + "\"type\":\"append\",\"invoke\":0,\"node\":\"http://127.0.0.1:7001\",\"stream\":\"s1\","
                    + "\"payload\":\"a1\",\"offset\":1,\"version\":0}", lines.get(1));
        }
    }

    @Test
    void aFileReadsBackAsTheSameOpsAndATornLastLineIsLeftOut() throws Exception {
        Path file = dir.resolve("history.jsonl");
        List<Op> written;
        try (History history = History.writingTo(file)) {
            Op read = history.invokeReadLog("final", "http://127.0.0.1:7001");
            history.readLogOk(read, List.of(new EntryRef(1, "s1", 0, "a1")));
            Op sub = history.invokeSubscribe("reader", "http://127.0.0.1:7001", "sub-1", null, null, 7L);
            history.delivered(sub, new EntryRef(8, "s2", 3, "a9"));
            history.info(sub, "connection reset");
            history.fail(history.invokeAppend("w1", "http://127.0.0.1:7002", "s1", "a2"), "503 no_leader");
            written = history.ops();
        }
        assertEquals(written, History.read(file));

        Files.writeString(file, "{\"index\":6,\"time\":1,\"pro", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(written, History.read(file));
    }

    @Test
    void concurrentWritersGetOneLineEachInIndexOrder() throws Exception {
        Path file = dir.resolve("history.jsonl");
        try (History history = History.writingTo(file)) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String process = "w" + w;
                writers.add(new Thread(() -> {
                    for (int i = 0; i < 250; i++) {
                        history.info(history.invokeAppend(process, "n", "s", process + "-" + i), "timed out");
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        List<Op> read = History.read(file);
        assertEquals(LongStream.range(0, 4000).boxed().toList(), read.stream().map(Op::index).toList());
    }

    @Test
    void onlyAnInvokeCompletes() {
        History history = History.inMemory();
        Op invoke = history.invokeAppend("w1", "n", "s", "a1");
        Op ok = history.appendOk(invoke, "s", 1, 0);
        assertThrows(IllegalArgumentException.class, () -> history.info(ok, "again"));
        assertThrows(IllegalArgumentException.class, () -> history.readLogOk(invoke, List.of()));
    }
}
