package io.eventlog.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code eventlog cluster}: the node's view of the cluster, pretty-printed; its subcommands change
 * the membership or the leader (sent to any member: a follower redirects to the leader) and print
 * the resulting view.
 */
@Command(name = "cluster",
        description = "Shows the node's view of the cluster: leader, term, commit index and members.",
        subcommands = {ClusterCommand.Add.class, ClusterCommand.Remove.class, ClusterCommand.Transfer.class})
final class ClusterCommand extends SingleAnswerCommand {
    @Override
    String answer(NodeClient client) {
        return JsonOutput.pretty(client.cluster());
    }

    @Command(name = "add", description = "Adds a node (started with --join) as a learner; the leader promotes it to "
            + "voter once it has caught up. Prints the cluster's view.")
    static final class Add extends SingleAnswerCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The new node's id (a positive integer).")
        long id;

        @Parameters(index = "1", paramLabel = "HOST:PORT", description = "The new node's peer address.")
        String peerAddress;

        @Override
        String answer(NodeClient client) {
            String body = "{\"id\":\"" + id + "\",\"peer_address\":" + JsonOutput.quote(peerAddress) + "}";
            return JsonOutput.pretty(client.changeCluster("POST", "/v1/cluster/members", body));
        }
    }

    @Command(name = "remove", description = "Removes a node from the cluster. Prints the cluster's view.")
    static final class Remove extends SingleAnswerCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The node's id.")
        long id;

        @Override
        String answer(NodeClient client) {
            return JsonOutput.pretty(client.changeCluster("DELETE", "/v1/cluster/members/" + id, null));
        }
    }

    @Command(name = "transfer", description = "Hands leadership to another voter. Prints the cluster's view.")
    static final class Transfer extends SingleAnswerCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The node to lead.")
        long id;

        @Override
        String answer(NodeClient client) {
            return JsonOutput.pretty(client.changeCluster("POST", "/v1/cluster/leader", "{\"id\":\"" + id + "\"}"));
        }
    }
}
