package io.eventlog.benchmarks.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's append requests, encoded once: for every node and stream, the whole HTTP/1.1 request
 * (request line, headers, body) as read-only bytes. Sending one is a write of a view of these bytes,
 * with no per-request encoding or copying. Streams are taken round robin across all connections.
 */
final class AppendRequests {
    /** [node][stream] */
    private final ByteBuf[][] requests;
    private final AtomicLong nextStream = new AtomicLong();

    AppendRequests(LoadConfig config) {
        byte[] body = EventBodies.body(config.size(), config.batch());
        requests = new ByteBuf[config.urls().size()][config.streams()];
        for (int node = 0; node < requests.length; node++) {
            URI url = config.urls().get(node);
            String base = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
            for (int stream = 0; stream < config.streams(); stream++) {
                String head = "POST " + base + "/v1/streams/" + config.streamPrefix() + "-" + stream + " HTTP/1.1\r\n"
                        + "Host: " + url.getRawAuthority() + "\r\n"
                        + "Content-Type: " + EventBodies.contentType(config.batch()) + "\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n";
                ByteBuf request = Unpooled.directBuffer(head.length() + body.length)
                        .writeBytes(head.getBytes(StandardCharsets.US_ASCII))
                        .writeBytes(body);
                requests[node][stream] = Unpooled.unreleasableBuffer(request.asReadOnly());
            }
        }
    }

    /** The next request to {@code node}: a view that the channel may consume (and release) freely. */
    ByteBuf next(int node) {
        ByteBuf[] streams = requests[node];
        return streams[(int) (nextStream.getAndIncrement() % streams.length)].duplicate();
    }
}
