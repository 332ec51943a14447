package io.eventlog.benchmarks.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.benchmarks.memory.MemoryFootprint;
import io.eventlog.benchmarks.raft.RejoinBenchmark;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parses the command lines of the benchmarks that build a log; runs none of them. */
class LogOptionsTest {
    @Test
    void eachBenchmarkKeepsItsOwnDefaults() {
        assertEquals(1_000_000L, value(new RejoinBenchmark(), "--entries"));
        assertEquals(1000, value(new RejoinBenchmark(), "--streams"));
        assertEquals(10_000_000L, value(new RestartBenchmark(), "--entries"));
        assertEquals(1000, value(new RestartBenchmark(), "--streams"));
        assertEquals(10_000_000L, value(new MemoryFootprint(), "--entries"));
        assertEquals(1, value(new MemoryFootprint(), "--streams"));
        assertEquals(16, value(new MemoryFootprint(), "--in-flight"));
    }

    @Test
    void countsTakeUnderscores() {
        RestartBenchmark restart = new RestartBenchmark();
        new CommandLine(restart).parseArgs("--entries", "2_000_000", "--checkpoint-every", "500_000", "--streams",
                "1_0", "--dir", "/tmp/x", "--keep");
        assertEquals(2_000_000, restart.log.entries);
        assertEquals(500_000, restart.checkpointEvery);
        assertEquals(10, restart.log.streams);
        assertTrue(restart.log.keep);
    }

    @Test
    void anUnknownOptionOrABadValueIsAUsageErrorBeforeAnythingRuns() {
        assertTrue(usageError("--bogus").contains("Unknown option: '--bogus'\nUsage: RestartBenchmark"));
        // A near miss gets picocli's suggestion instead of the usage.
        assertTrue(usageError("--entires", "1000").contains("Possible solutions: --entries"));
        assertTrue(usageError("--entries", "1_0x").contains("'1_0x' is not a whole number"));
        assertTrue(usageError("--entries", "1000", "--checkpoint-every", "1000").contains("two checkpoints' worth"));
    }

    private static Object value(Object command, String option) {
        // As the mains build it: MemoryFootprint's --durability defaults to "process".
        CommandLine commandLine = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.parseArgs();
        return commandLine.getCommandSpec().findOption(option).getValue();
    }

    /** What RestartBenchmark prints to stderr for {@code args}, which must fail with exit code 2. */
    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new RestartBenchmark()).setErr(new PrintWriter(err)).execute(args);
        assertEquals(2, exitCode, err.toString());
        return err.toString().replace(System.lineSeparator(), "\n");
    }
}
