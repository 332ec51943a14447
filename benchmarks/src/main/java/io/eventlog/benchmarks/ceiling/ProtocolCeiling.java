package io.eventlog.benchmarks.ceiling;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.binary.BinaryConfig;
import io.eventlog.server.binary.BinaryServer;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.server.http.HttpApi;
import io.eventlog.server.http.HttpApiServer;
import io.eventlog.server.http.HttpConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * The node's HTTP API and binary protocol, served exactly as {@code eventlog serve} serves them, in
 * front of a {@link NullEventLog}: the load generators against it measure the ceiling of the protocols
 * on this machine (generator, connection handling, parsing, validation, answers), with no log behind.
 * Runs until interrupted.
 *
 * <pre>
 * java @config/jvm.options -cp benchmarks/target/benchmarks.jar io.eventlog.benchmarks.ceiling.ProtocolCeiling \
 *     --port 7079 --binary-port 7279
 * </pre>
 */
@Command(name = "ProtocolCeiling", mixinStandardHelpOptions = true,
        description = "The HTTP API and binary protocol in front of a log that stores nothing: the protocols' ceiling.")
public final class ProtocolCeiling implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "7079", description = "HTTP port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--binary-port", defaultValue = "7279",
            description = "Binary protocol port. Default: ${DEFAULT-VALUE}.")
    int binaryPort;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProtocolCeiling()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        HttpConfig http = HttpConfig.defaults().withHost(host).withPort(port);
        NullEventLog log = new NullEventLog();
        String address = host + ":" + port;
        Supplier<ClusterView> cluster = () -> ClusterView.singleNode("ceiling", address, log.lastOffset());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpApi api = new HttpApi(log, cluster, null,
                () -> Mono.error(new EventLogException(ErrorCode.UNAVAILABLE, "nothing to checkpoint")),
                request -> { }, registry, http);
        DisposableServer httpServer = HttpApiServer.bind(api, http);
        BinaryServer binary = BinaryServer.bind(log, cluster,
                BinaryConfig.of(host, binaryPort, http.maxBodyBytes(), http.maxBatchEvents()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            binary.close(Duration.ofSeconds(1));
            httpServer.disposeNow(Duration.ofSeconds(1));
            registry.close();
            stopped.countDown();
        }));
        System.out.printf("protocol ceiling: http://%s and binary %s:%d, storing nothing%n", address, host,
                binary.port());
        stopped.await();
        return 0;
    }
}
