package io.eventlog.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one node says in {@code GET /v1/cluster} (API.md), as the fault tests need it.
 *
 * @param node        the node's id
 * @param leader      the leader it knows, or 0 when none
 * @param term        its Raft term
 * @param commitIndex its Raft commit index
 */
public record NodeStatus(int node, int leader, long term, long commitIndex) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** The node's answer, or empty when it does not answer well within two seconds (down, paused, busy). */
    public static Optional<NodeStatus> of(URI base) {
        try {
            HttpResponse<byte[]> response = HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/cluster"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode body = JSON.readTree(response.body());
            JsonNode leader = body.get("leader");
            return Optional.of(new NodeStatus(Integer.parseInt(body.get("node").asText()),
                    leader == null || leader.isNull() ? 0 : Integer.parseInt(leader.asText()),
                    body.get("term").asLong(), body.get("commit_index").asLong()));
        } catch (IOException | ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether the node says it leads. */
    public boolean leads() {
        return leader == node;
    }
}
