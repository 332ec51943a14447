package io.eventlog.client.http;

import io.eventlog.client.transport.NodeAddress;
import io.eventlog.client.transport.NodeConnection;
import io.eventlog.client.transport.Transport;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Connections to nodes over the HTTP API. Every node shares one keep-alive connection pool; a live
 * subscription holds one connection for as long as it runs.
 */
public final class HttpTransport implements Transport {
    /** Idle pooled connections are closed before the node's own idle timeout (60 s) would close them. */
    private static final Duration POOL_IDLE = Duration.ofSeconds(30);
    private static final int POOL_CONNECTIONS_PER_NODE = 1024;

    private final ConnectionProvider pool;
    private final HttpClient http;

    /** @param connectTimeout longest wait for a TCP connection to a node */
    public HttpTransport(Duration connectTimeout) {
        this.pool = ConnectionProvider.builder("eventlog-client")
                .maxConnections(POOL_CONNECTIONS_PER_NODE)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(POOL_IDLE)
                .build();
        this.http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .keepAlive(true);
    }

    @Override
    public NodeConnection connect(NodeAddress address) {
        return new HttpNodeConnection(address, http);
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
