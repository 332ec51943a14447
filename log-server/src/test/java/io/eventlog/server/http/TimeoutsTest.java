package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client sending its request a byte at a time is cut off; an idle keep-alive connection is closed. */
@Timeout(60)
class TimeoutsTest {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path dir;
    TestServer http;

    @BeforeEach
    void start() {
        http = new TestServer(dir, c -> c.withRequestReadTimeout(READ_TIMEOUT).withIdleTimeout(IDLE_TIMEOUT));
    }

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void headersSentOneByteAtATimeAreCutOffWith408() throws Exception {
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            assertCutOffWith408(raw);
        }
    }

    @Test
    void eachRequestOnAConnectionHasItsOwnDeadline() throws Exception {
        // A long idle timeout: reactor-netty's idle timer does not see bytes of an unfinished head.
        try (TestServer longIdle = new TestServer(dir.resolve("long-idle"),
                c -> c.withRequestReadTimeout(READ_TIMEOUT).withIdleTimeout(Duration.ofSeconds(30)));
             RawHttp raw = RawHttp.connect(longIdle.server.port(), 0).get("/health/live")) {
            assertEquals(200, raw.status);
            raw.bodyText();
            // The first request's deadline passes while the second one trickles in: the second still
            // gets its whole read timeout, counted from its own first byte.
            Thread.sleep(READ_TIMEOUT.toMillis() / 2);
            assertCutOffWith408(raw);
        }
    }

    /** Sends a request head a byte at a time and checks that a 408 cuts it off after the read timeout. */
    private static void assertCutOffWith408(RawHttp raw) throws Exception {
        String request = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                + "p".repeat(60) + "\r\n\r\n";
        long start = System.nanoTime();
        int sent = 0;
        try {
            // one byte every 100 ms keeps an idle timer alive but takes ~10 s for the whole head
            for (; sent < request.length(); sent++) {
                raw.write(request.substring(sent, sent + 1));
                Thread.sleep(100);
                if (raw.socket.getInputStream().available() > 0) {
                    break;
                }
            }
        } catch (SocketException closed) {
            // the server closed the connection while we were still writing: what we want
        }
        String answer = new String(raw.readToEnd(), StandardCharsets.US_ASCII);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(sent < request.length(), "the whole head was accepted");
        assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
        assertTrue(answer.contains("\"error\":\"timeout\""), answer);
        assertTrue(elapsedMs >= READ_TIMEOUT.toMillis() - 100 && elapsedMs < READ_TIMEOUT.toMillis() + 2000,
                "cut off after " + elapsedMs + " ms");
    }

    @Test
    void aBodyTrickledTooSlowlyIsCutOff() throws Exception {
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0)) {
            raw.write("POST /v1/streams/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n[");
            long start = System.nanoTime();
            try {
                // 2 bytes every 100 ms: the 100-byte body would take about 5 s
                for (int i = 0; i < 50 && raw.socket.getInputStream().available() == 0; i++) {
                    raw.write("1,");
                    Thread.sleep(100);
                }
                raw.readToEnd(); // returns at end of stream; a connection left open would time out (30 s)
            } catch (SocketException closedWhileWriting) {
                // the server closed the connection while we were still writing: what we want
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs < READ_TIMEOUT.toMillis() + 2000, "cut off after " + elapsedMs + " ms");
        }
        assertEquals(404, http.get("/v1/streams/slow").status(), "nothing was appended");
    }

    @Test
    void anIdleKeepAliveConnectionIsClosed() throws Exception {
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0).get("/health/live")) {
            assertEquals(200, raw.status);
            raw.bodyText();
            // the connection stays usable while requests keep coming
            raw.get("/health/live");
            assertEquals(200, raw.status);
            raw.bodyText();

            long idleSince = System.nanoTime();
            InputStream in = raw.socket.getInputStream();
            int read = in.read();
            long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
            assertEquals(-1, read, "the server closes the idle connection");
            assertTrue(idleMs >= IDLE_TIMEOUT.toMillis() - 200 && idleMs < IDLE_TIMEOUT.toMillis() + 3000,
                    "closed after " + idleMs + " ms idle");
        }
    }

    @Test
    void aWholeRequestInTimeIsServedNormally() throws IOException {
        try (RawHttp raw = RawHttp.connect(http.server.port(), 0).get("/health/live")) {
            assertEquals(200, raw.status);
            assertEquals("{\"status\":\"live\"}", raw.bodyText());
        }
    }

    @Test
    void aQuietSubscriptionIsNotAnIdleConnection() throws Exception {
        try (RawHttp ndjson = RawHttp.connect(http.server.port(), 0).get("/v1/streams/quiet/subscribe")) {
            assertEquals(200, ndjson.status);
            Thread.sleep(IDLE_TIMEOUT.toMillis() + READ_TIMEOUT.toMillis() + 500);
            assertEquals(201, http.post("/v1/streams/quiet", "{\"late\":true}").status());
            String line = RawHttp.readLine(ndjson.body());
            assertTrue(line.contains("\"data\":{\"late\":true}"), line);
        }
    }
}
