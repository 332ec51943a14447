package io.eventlog.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.server.cli.StubNode.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/** Exit code 3 names the URL that could not be reached, for every client command. */
@Timeout(30)
class ConnectionFailureTest {

    @ParameterizedTest
    @ValueSource(strings = {"append s {}", "read s", "read --all", "tail s", "tail --all", "cluster"})
    void connectionRefusedExitsWith3AndNamesTheUrl(String command) throws IOException {
        String url = "http://127.0.0.1:" + closedPort();

        Cli.Result result = Cli.run((command + " --url " + url).split(" "));

        assertEquals(3, result.exitCode(), result.err());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("eventlog: cannot connect to " + url + ": "), result.err());
        assertTrue(result.err().contains("is the node running? see --url or EVENTLOG_URL"), result.err());
    }

    @Test
    void aNodeThatDoesNotAnswerTimesOutWith3() {
        try (StubNode silent = StubNode.start(request -> new Reply(200, Map.of(), Mono.never()))) {
            long started = System.nanoTime();

            Cli.Result result = Cli.run("cluster", "--url", silent.url(), "--timeout", "1");

            assertEquals(3, result.exitCode(), result.err());
            assertTrue(result.err().startsWith("eventlog: no answer from " + silent.url() + " within 1 s"), result.err());
            assertTrue(System.nanoTime() - started < 5_000_000_000L, "gave up after the timeout");
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsShownAsText() {
        try (StubNode proxy = StubNode.start(request -> new Reply(502, Map.of("Content-Type", "text/html"),
                Mono.just("<html>Bad Gateway</html>\n")))) {

            Cli.Result result = Cli.run("read", "s", "--url", proxy.url());

            assertEquals(1, result.exitCode());
            assertEquals("eventlog: HTTP 502: <html>Bad Gateway</html>" + System.lineSeparator(), result.err());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
