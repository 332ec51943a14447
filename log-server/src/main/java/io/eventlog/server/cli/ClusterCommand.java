package io.eventlog.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eventlog cluster}: the node's view of the cluster, pretty-printed; its subcommands change
 * the membership or the leader (sent to any member: a follower redirects to the leader).
 */
@Command(name = "cluster",
        description = "Shows the node's view of the cluster: leader, term, commit index and members.",
        subcommands = {ClusterCommand.Add.class, ClusterCommand.Remove.class, ClusterCommand.Transfer.class})
final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        return print(spec, connection.client().cluster());
    }

    static int print(CommandSpec spec, String json) {
        spec.commandLine().getOut().println(JsonOutput.pretty(json));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** A subcommand that sends one change to the cluster and prints the resulting view. */
    abstract static class Change implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        abstract String send(NodeClient client);

        @Override
        public Integer call() {
            return print(spec, send(connection.client()));
        }
    }

    @Command(name = "add", description = "Adds a node (started with --join) as a learner; the leader promotes it to "
            + "voter once it has caught up. Prints the cluster's view.")
    static final class Add extends Change {
        @Parameters(index = "0", paramLabel = "ID", description = "The new node's id (a positive integer).")
        long id;

        @Parameters(index = "1", paramLabel = "HOST:PORT", description = "The new node's peer address.")
        String peerAddress;

        @Override
        String send(NodeClient client) {
            String body = "{\"id\":\"" + id + "\",\"peer_address\":" + JsonOutput.quote(peerAddress) + "}";
            return client.changeCluster("POST", "/v1/cluster/members", body);
        }
    }

    @Command(name = "remove", description = "Removes a node from the cluster. Prints the cluster's view.")
    static final class Remove extends Change {
        @Parameters(index = "0", paramLabel = "ID", description = "The node's id.")
        long id;

        @Override
        String send(NodeClient client) {
            return client.changeCluster("DELETE", "/v1/cluster/members/" + id, null);
        }
    }

    @Command(name = "transfer", description = "Hands leadership to another voter. Prints the cluster's view.")
    static final class Transfer extends Change {
        @Parameters(index = "0", paramLabel = "ID", description = "The node to lead.")
        long id;

        @Override
        String send(NodeClient client) {
            return client.changeCluster("POST", "/v1/cluster/leader", "{\"id\":\"" + id + "\"}");
        }
    }
}
