package io.eventlog.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.client.transport.ClusterInfo;
import io.eventlog.client.transport.NodeAddress;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Reads {@code GET /v1/cluster}'s body (API.md "Cluster and operations"). */
final class ClusterInfoCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterInfoCodec() {
    }

    static ClusterInfo decode(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            Map<String, NodeAddress> members = new HashMap<>();
            for (JsonNode member : root.path("members")) {
                JsonNode address = member.path("address");
                // A wildcard bind address says nothing about where to reach the member.
                if (member.hasNonNull("id") && address.isTextual() && !isWildcard(address.asText())) {
                    members.put(member.get("id").asText(), NodeAddress.parse(address.asText()));
                }
            }
            JsonNode leader = root.path("leader");
            return new ClusterInfo(root.path("node").asText(), leader.isNull() || leader.isMissingNode() ? null
                    : leader.asText(), root.path("commit_index").asLong(0), members);
        } catch (IOException | RuntimeException e) {
            throw new EventLogException(ErrorCode.INVALID_JSON, "unreadable /v1/cluster answer: " + e.getMessage(), e);
        }
    }

    private static boolean isWildcard(String address) {
        return address.startsWith("0.0.0.0:") || address.startsWith("[::]:") || address.startsWith(":::");
    }
}
