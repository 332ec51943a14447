package io.eventlog.server.cli;

import picocli.CommandLine.Command;

/** {@code eventlog checkpoint}: has the node write a checkpoint now; prints its offset and file. */
@Command(name = "checkpoint",
        description = "Has the node write a checkpoint of its state now, so that a restart replays only the log "
                + "after it; prints the checkpoint's offset and file as JSON.")
final class CheckpointCommand extends SingleAnswerCommand {
    @Override
    String answer(NodeClient client) {
        return JsonOutput.line(client.checkpoint());
    }
}
