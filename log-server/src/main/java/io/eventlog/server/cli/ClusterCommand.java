package io.eventlog.server.cli;

import picocli.CommandLine.Command;

/** {@code eventlog cluster}: the node's view of the cluster, pretty-printed. */
@Command(name = "cluster",
        description = "Shows the node's view of the cluster: leader, term, commit index and members.")
final class ClusterCommand extends SingleAnswerCommand {
    @Override
    String answer(NodeClient client) {
        return JsonOutput.pretty(client.cluster());
    }
}
