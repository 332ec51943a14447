package io.eventlog.server.http;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.cluster.ClusterView;
import io.eventlog.wire.JsonOut;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** {@code GET /v1/cluster}, {@code GET /health/live} and {@code GET /health/ready}. */
final class ClusterHandlers {
    private final Supplier<ClusterView> cluster;
    private final ErrorResponder errors;

    ClusterHandlers(Supplier<ClusterView> cluster, ErrorResponder errors) {
        this.cluster = cluster;
        this.errors = errors;
    }

    Router.Handler cluster() {
        return (request, response, stream) -> Mono.fromSupplier(cluster)
                .flatMap(view -> JsonResponses.send(response, 200, ClusterViewJson.encode(view)))
                .onErrorResume(e -> errors.send(response, e, false));
    }

    /** 200 while the process serves HTTP at all. */
    Router.Handler live() {
        return (request, response, stream) -> JsonResponses.send(response, 200,
                new JsonOut().raw('{').field("status", true).string("live").raw('}').toByteArray());
    }

    /** 200 when a leader is known and this node has caught up; 503 {@code no_leader} or {@code unavailable} otherwise. */
    Router.Handler ready() {
        return (request, response, stream) -> Mono.fromSupplier(cluster)
                .flatMap(view -> {
                    if (view.leader() == null) {
                        return Mono.error(new EventLogException(ErrorCode.NO_LEADER, "no leader is known"));
                    }
                    if (!view.ready()) {
                        return Mono.error(new EventLogException(ErrorCode.UNAVAILABLE,
                                "this node has not yet applied up to commit index " + view.commitIndex()));
                    }
                    JsonOut out = new JsonOut().raw('{').field("status", true).string("ready");
                    out.field("leader", false).string(view.leader()).raw('}');
                    return JsonResponses.send(response, 200, out.toByteArray());
                })
                .onErrorResume(e -> errors.send(response, e, false));
    }
}
