package io.eventlog.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.cluster.ClusterAdmin;
import io.eventlog.server.cluster.ClusterView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The cluster's admin endpoints, served by the leader (a follower answers 307 to it):
 * {@code POST /v1/cluster/members} {@code {"id": "4", "peer_address": "host:port"}} adds a node
 * as a learner (promoted once caught up), {@code DELETE /v1/cluster/members/{id}} removes one,
 * {@code POST /v1/cluster/leader} {@code {"id": "2"}} hands leadership over. Each answers 200 with
 * the cluster's view once the change has taken effect.
 */
final class ClusterAdminHandlers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 4096;

    private final ClusterAdmin admin;
    private final BodyReader bodies = new BodyReader(MAX_BODY_BYTES);
    private final ErrorResponder errors;

    /** @param admin the node's cluster admin, null for a single node (every request is then 409) */
    ClusterAdminHandlers(ClusterAdmin admin, ErrorResponder errors) {
        this.admin = admin;
        this.errors = errors;
    }

    Router.Handler addMember() {
        return withBody(body -> admin().addMember(id(body.get("id")), peerAddress(body.get("peer_address"))));
    }

    Router.Handler transferLeadership() {
        return withBody(body -> admin().transferLeadership(id(body.get("id"))));
    }

    Router.Handler removeMember() {
        return (request, response, id) -> Mono.defer(() -> admin().removeMember(id(id)))
                .flatMap(view -> JsonResponses.send(response, 200, ClusterViewJson.encode(view)))
                .onErrorResume(e -> errors.send(response, e, ErrorResponder.declaresBody(request)));
    }

    private Router.Handler withBody(Function<JsonNode, Mono<ClusterView>> change) {
        return (request, response, unused) -> bodies.read(request)
                .flatMap(bytes -> change.apply(parse(bytes)))
                .flatMap(view -> JsonResponses.send(response, 200, ClusterViewJson.encode(view)))
                .onErrorResume(e -> errors.send(response, e, false));
    }

    private ClusterAdmin admin() {
        if (admin == null) {
            throw new EventLogException(ErrorCode.CONFLICT, "this node runs without --peers: it has no cluster to"
                    + " change");
        }
        return admin;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new EventLogException(ErrorCode.INVALID_JSON, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new EventLogException(ErrorCode.INVALID_JSON, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new EventLogException(ErrorCode.INVALID_JSON, "the body is not JSON: " + e.getMessage());
        }
    }

    /** A node id: a positive integer, as a JSON number or string, or a path segment. */
    private static long id(Object value) {
        String text = value instanceof JsonNode node ? (node.isValueNode() ? node.asText() : null) : (String) value;
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // the error below says what is expected
        }
        throw new EventLogException(ErrorCode.INVALID_PARAMETER, "a node id is a positive integer, got " + value);
    }

    private static InetSocketAddress peerAddress(JsonNode value) {
        String text = value == null ? "" : value.asText();
        int colon = text.lastIndexOf(':');
        try {
            if (colon > 0) {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port > 0 && port <= 65535) {
                    return new InetSocketAddress(text.substring(0, colon), port);
                }
            }
        } catch (NumberFormatException e) {
            // the error below says what is expected
        }
        throw new EventLogException(ErrorCode.INVALID_PARAMETER, "peer_address is the node's peer host:port, got '"
                + text + "'");
    }
}
