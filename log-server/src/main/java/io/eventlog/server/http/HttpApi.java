package io.eventlog.server.http;

import io.eventlog.api.EventLog;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.server.checkpoint.Checkpoint;
import io.eventlog.server.cluster.ClusterAdmin;
import io.eventlog.server.cluster.ClusterView;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMethod;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** The routes of API.md, bound to their handlers, with request metrics around every request. */
public final class HttpApi {
    private final Router router = new Router();
    private final ErrorResponder errors = new ErrorResponder();
    private final SubscriberGate gate;
    private final HttpMetrics metrics;
    private final Sinks.Empty<Void> shutdown = Sinks.empty();
    private final DirectAppendRoute directAppends;

    /**
     * @param admin      membership and leadership changes; null for a single node
     * @param checkpoint has the node write a checkpoint (what {@code POST /v1/admin/checkpoint} does)
     * @param startHeld  throws when a subscription would start below what the node holds (410 before the headers)
     */
    public HttpApi(EventLog log, Supplier<ClusterView> cluster, ClusterAdmin admin,
                   Supplier<Mono<Checkpoint>> checkpoint, Consumer<SubscribeRequest> startHeld,
                   PrometheusMeterRegistry registry, HttpConfig config) {
        this.gate = new SubscriberGate(config.maxSubscribers());
        this.metrics = new HttpMetrics(registry, gate);
        ReadHandler read = new ReadHandler(log, config, errors);
        SubscribeHandler subscribe = new SubscribeHandler(log, startHeld, config, gate, shutdown.asMono(), errors);
        ClusterHandlers clusterHandlers = new ClusterHandlers(cluster, errors);
        ClusterAdminHandlers adminHandlers = new ClusterAdminHandlers(admin, errors);
        AppendHandler append = new AppendHandler(log, config, errors);
        this.directAppends = new DirectAppendRoute(router, append, metrics, config.maxBodyBytes());
        router.add(HttpMethod.POST, "/v1/streams/{stream}", append)
                .add(HttpMethod.GET, "/v1/streams/{stream}", read)
                .add(HttpMethod.GET, "/v1/streams/{stream}/subscribe", subscribe)
                .add(HttpMethod.GET, "/v1/log", read)
                .add(HttpMethod.GET, "/v1/log/subscribe", subscribe)
                .add(HttpMethod.GET, "/v1/cluster", clusterHandlers.cluster())
                .add(HttpMethod.POST, "/v1/cluster/members", adminHandlers.addMember())
                .add(HttpMethod.DELETE, "/v1/cluster/members/{id}", adminHandlers.removeMember())
                .add(HttpMethod.POST, "/v1/cluster/leader", adminHandlers.transferLeadership())
                .add(HttpMethod.POST, "/v1/admin/checkpoint", new CheckpointHandler(checkpoint, errors))
                .add(HttpMethod.GET, "/health/live", clusterHandlers.live())
                .add(HttpMethod.GET, "/health/ready", clusterHandlers.ready())
                .add(HttpMethod.GET, "/metrics", new MetricsHandler(registry));
    }

    /** Serves one request (reactor-netty's handler function). */
    public Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        long start = System.nanoTime();
        String[] route = {"unmatched"};
        return Mono.defer(() -> {
            Router.Match match = router.match(request.method(), path(request.uri()));
            route[0] = match.route();
            return Mono.from(match.handler().handle(request, response, match.param()));
        }).onErrorResume(e -> errors.send(response, e, ErrorResponder.declaresBody(request)))
                .doFinally(signal -> metrics.record(route[0], request.method().name(), response.status().code(),
                        System.nanoTime() - start));
    }

    /** Has a new connection serve most appends without reactor-netty ({@link DirectAppends}). */
    public void installDirectAppends(ChannelPipeline pipeline) {
        DirectAppends.install(pipeline, directAppends);
    }

    /** Ends every live subscription (their responses complete normally); call before stopping the server. */
    public void endSubscriptions() {
        shutdown.tryEmitEmpty();
    }

    /** Live subscriptions now being served. */
    public int activeSubscribers() {
        return gate.active();
    }

    /** The path of a request URI: without query and fragment, and without scheme and authority if absolute. */
    static String path(String uri) {
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        String path = uri.substring(0, end);
        int scheme = path.indexOf("://");
        if (scheme > 0 && !path.startsWith("/")) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return path;
    }
}
