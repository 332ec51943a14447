package io.eventlog.benchmarks.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.server.cli.NodeClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which nodes the load goes to: the URLs as given, or the cluster's leader, or all its members, as
 * {@code GET /v1/cluster} on the first URL names them (each member's HTTP address, host:port).
 */
public enum Discovery {
    /** The --url list as it is. */
    NONE,
    /** Only the leader: every append is handled where it is committed, no forwarding hop. */
    LEADER,
    /** Every member: followers forward their share of the appends to the leader. */
    ALL;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The nodes to send to; asks the first of {@code urls} unless this is {@link #NONE}. */
    public List<URI> targets(List<URI> urls) {
        return this == NONE ? urls : targets(new NodeClient(urls.get(0), TIMEOUT).cluster());
    }

    /** The nodes to send to, read from a {@code GET /v1/cluster} answer. */
    List<URI> targets(String clusterJson) {
        JsonNode cluster;
        try {
            cluster = JSON.readTree(clusterJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("GET /v1/cluster did not answer JSON: " + clusterJson, e);
        }
        String leader = cluster.path("leader").asText(null);
        if (this == LEADER && leader == null) {
            throw new IllegalStateException("the cluster knows no leader: " + clusterJson);
        }
        List<URI> targets = new ArrayList<>();
        for (JsonNode member : cluster.path("members")) {
            String address = member.path("address").asText(null);
            if (address != null && (this == ALL || member.path("id").asText().equals(leader))) {
                targets.add(URI.create("http://" + address));
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalStateException("GET /v1/cluster names no member address to send to: " + clusterJson);
        }
        return targets;
    }
}
