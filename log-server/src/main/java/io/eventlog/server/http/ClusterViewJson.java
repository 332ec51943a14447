package io.eventlog.server.http;

import io.eventlog.server.cluster.ClusterView;
import io.eventlog.wire.JsonOut;

/** {@code GET /v1/cluster}'s body (API.md), plus the {@code ready} flag. */
final class ClusterViewJson {
    private ClusterViewJson() {
    }

    static byte[] encode(ClusterView view) {
        JsonOut out = new JsonOut(256);
        out.raw('{');
        out.field("node", true).string(view.node());
        out.field("leader", false);
        nullableString(out, view.leader());
        out.field("term", false).number(view.term());
        out.field("commit_index", false).number(view.commitIndex());
        out.field("ready", false).ascii(Boolean.toString(view.ready()));
        out.field("members", false).raw('[');
        boolean first = true;
        for (ClusterView.Member member : view.members()) {
            if (!first) {
                out.raw(',');
            }
            first = false;
            out.raw('{');
            out.field("id", true).string(member.id());
            out.field("address", false);
            nullableString(out, member.address());
            out.field("role", false).string(member.role().wire());
            out.field("match_index", false);
            if (member.matchIndex() == null) {
                out.ascii("null");
            } else {
                out.number(member.matchIndex());
            }
            out.raw('}');
        }
        return out.raw(']').raw('}').toByteArray();
    }

    private static void nullableString(JsonOut out, String value) {
        if (value == null) {
            out.ascii("null");
        } else {
            out.string(value);
        }
    }
}
