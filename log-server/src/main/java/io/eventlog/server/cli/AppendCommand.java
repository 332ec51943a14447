package io.eventlog.server.cli;

import io.eventlog.api.ExpectedVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventlog append STREAM [JSON]}: one event, or an NDJSON batch from stdin. */
@Command(name = "append",
        description = {"Appends an event, or a batch of events from stdin, to a stream.",
            "The JSON argument is one event; without it, each line of NDJSON on stdin is one event",
            "of an all-or-nothing batch.",
            "Prints the node's result as JSON (stream, offset, version, first_offset, first_version, count)."})
final class AppendCommand implements Callable<Integer> {
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern HEADER_VALUE = Pattern.compile("[^\\x00-\\x08\\x0a-\\x1f\\x7f]*");

    @Spec
    CommandSpec spec;

    @ParentCommand
    EventLogCommand parent;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream to append to.")
    String stream;

    @Parameters(index = "1", arity = "0..1", paramLabel = "JSON", description = "The event's data; omit to read NDJSON from stdin.")
    String json;

    @Option(names = "--type", paramLabel = "TYPE", description = "The event type (Event-Type).")
    String type;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "An entry header (Event-Header-NAME); repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--expected-version", paramLabel = "N|any|no-stream", converter = ExpectedVersionConverter.class,
            description = "Append only if the stream's last version is N, or the stream does not exist (no-stream).")
    ExpectedVersion expectedVersion;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Repeating an append with the same key returns the original result and appends nothing.")
    String idempotencyKey;

    @Override
    public Integer call() {
        Map<String, String> requestHeaders = requestHeaders();
        String result = json != null
                ? connection.client().append(stream, json.getBytes(StandardCharsets.UTF_8), NodeClient.JSON, requestHeaders)
                : connection.client().append(stream, readStdin(), NodeClient.NDJSON, requestHeaders);
        spec.commandLine().getOut().println(JsonOutput.line(result));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private Map<String, String> requestHeaders() {
        Map<String, String> request = new LinkedHashMap<>();
        if (type != null) {
            request.put("Event-Type", checkedValue("--type", type));
        }
        headers.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new ParameterException(spec.commandLine(), "--header name '" + name + "' is not a valid HTTP header name");
            }
            request.put("Event-Header-" + name, checkedValue("--header " + name, value));
        });
        if (expectedVersion != null) {
            request.put("Expected-Version", ExpectedVersionConverter.headerValue(expectedVersion));
        }
        if (idempotencyKey != null) {
            request.put("Idempotency-Key", checkedValue("--idempotency-key", idempotencyKey));
        }
        return request;
    }

    private String checkedValue(String option, String value) {
        if (!HEADER_VALUE.matcher(value).matches()) {
            throw new ParameterException(spec.commandLine(), option + " must not contain control characters");
        }
        return value;
    }

    private byte[] readStdin() {
        InputStream in = parent.stdin();
        if (in == System.in && System.console() != null) {
            spec.commandLine().getErr().println("eventlog: reading NDJSON events from stdin, one per line; end with Ctrl-D");
            spec.commandLine().getErr().flush();
        }
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read stdin: " + e.getMessage());
        }
    }
}
