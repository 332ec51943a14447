package io.eventlog.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JetStream generator's options; publishing itself needs a nats-server (cluster-vs-jetstream.sh). */
class JetStreamLoadTest {

    @Test
    void parsesServersModeAndTiming() {
        JetStreamLoad load = new JetStreamLoad();
        JetStreamLoad.commandLine(load).parseArgs("--server", "nats://127.0.0.1:1,nats://127.0.0.1:2", "--mode", "sync",
                "--duration", "15s", "--warmup", "500ms", "--stream", "orders");

        assertEquals(List.of("nats://127.0.0.1:1", "nats://127.0.0.1:2"), load.servers);
        assertEquals(JetStreamConfig.Mode.SYNC, load.mode);
        assertEquals(Duration.ofSeconds(15), load.run.duration);
        assertEquals(Duration.ofMillis(500), load.run.warmup);
        assertEquals(64, load.inFlight);
        assertEquals(100, load.run.size);
        assertEquals(3, load.replicas);
    }

    @Test
    void badOptionsExitWithTwoBeforeConnecting() {
        StringWriter err = new StringWriter();

        int exitCode = JetStreamLoad.commandLine(new JetStreamLoad()).setErr(new PrintWriter(err))
                .execute("--server", "nats://127.0.0.1:1", "--in-flight", "0");

        assertEquals(2, exitCode);
        assertTrue(err.toString().contains("--in-flight must be at least 1"), err.toString());
    }

    @Test
    void theReportNamesTheLeaderItPublishedTo() {
        JetStreamConfig config = new JetStreamConfig(List.of("nats://127.0.0.1:1", "nats://127.0.0.1:2"),
                JetStreamConfig.Mode.ASYNC, 64, Duration.ofSeconds(15), Duration.ofSeconds(10), 100, "bench", 3)
                .publishingTo("nats://127.0.0.1:2");
        ObjectNode json = new ObjectMapper().createObjectNode();

        config.writeJson(json);

        assertEquals("{\"servers\":[\"nats://127.0.0.1:2\"],\"mode\":\"async\",\"in_flight\":64,\"duration_s\":15.0,"
                + "\"warmup_s\":10.0,\"size\":100,\"stream\":\"bench\",\"replicas\":3}", json.toString());
        assertEquals("async publish, 64 in flight, 100-byte messages, stream bench (file, R3), 15.0 s (after 10.0 s warm-up), "
                + "nats://127.0.0.1:2", config.describe());
        assertEquals("bench.events", config.subject());
    }
}
