package io.eventlog.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A client command that makes one request and prints what the node answered. */
abstract class SingleAnswerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    /** The request, and the answer as it is printed. */
    abstract String answer(NodeClient client);

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(answer(connection.client()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
