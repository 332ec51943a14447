package io.eventlog.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code eventlog cluster}: the node's view of the cluster, pretty-printed. */
@Command(name = "cluster",
        description = "Shows the node's view of the cluster: leader, term, commit index and members.")
final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(JsonOutput.pretty(connection.client().cluster()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
