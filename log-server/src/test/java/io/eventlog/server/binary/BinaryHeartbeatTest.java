package io.eventlog.server.binary;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.Entry;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.binary.BinaryConnection;
import io.eventlog.binary.ConnectionLostException;
import io.eventlog.server.EventLogServer;
import io.eventlog.server.http.HttpConfig;
import io.eventlog.server.testing.TcpProxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The node's heartbeats keep a quiet connection alive; a connection that goes silent (a path that
 * blackholes without closing it) is counted lost after the client's silence limit, so what runs on
 * it fails over instead of waiting for TCP to give up.
 */
class BinaryHeartbeatTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration SILENCE_LIMIT = Duration.ofSeconds(1);

    @TempDir
    Path data;

    @Test
    void aQuietConnectionLivesOnAndASilentOneIsLost() throws InterruptedException {
        HttpConfig http = HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
        try (EventLogServer server = EventLogServer.start(EventLogServer.Options.defaults(data).withHttp(http)
                .withBinary(BinaryConfig.of("127.0.0.1", 0, http.maxBodyBytes(), http.maxBatchEvents())
                        .withHeartbeatInterval(HEARTBEAT)));
             TcpProxy proxy = TcpProxy.start(new InetSocketAddress("127.0.0.1", server.binaryPort()))) {
            BinaryConnection connection = BinaryConnection.connect("127.0.0.1", proxy.port(), Duration.ofSeconds(5),
                    SILENCE_LIMIT).block(Duration.ofSeconds(10));
            List<Throwable> ended = new CopyOnWriteArrayList<>();
            Disposable quiet = connection.subscribe(SubscribeRequest.streamFromEnd("nothing-here"))
                    .subscribe((Entry entry) -> { }, ended::add);

            Thread.sleep(3 * SILENCE_LIMIT.toMillis()); // nothing to deliver, only heartbeats
            assertTrue(connection.isOpen(), "heartbeats keep a quiet connection");
            assertTrue(ended.isEmpty(), "the quiet subscription goes on: " + ended);

            proxy.both(TcpProxy.Mode.BLACKHOLE);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ended.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertInstanceOf(ConnectionLostException.class, ended.isEmpty() ? null : ended.get(0),
                    "the subscription on a silent connection fails as lost");
            assertTrue(!connection.isOpen());
            quiet.dispose();
        }
    }
}
