package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark rollback ID}: make a stored revision's config the newest revision. */
@Command(name = "rollback",
        description = {"Bring back the config of revision ID: applied all or nothing like any commit, recorded as a new revision.",
                "Prints the plan that was applied and the new revision."},
        exitCodeListHeading = ClientCommand.EXIT_HEADING,
        exitCodeList = {"0:committed", "1:refused (no such revision, anti-lockout, bad or read-only token) or the kernel refused the change (the previous state is restored)",
                ClientCommand.EXIT_USAGE, ClientCommand.EXIT_UNREACHABLE})
final class RollbackCommand extends ClientCommand {

    @Parameters(paramLabel = "ID", description = "The revision to return to (see 'bulwark revisions').")
    long id;

    @Option(names = "--message", paramLabel = "M", description = "The new revision's message (default: \"rollback to revision ID\").")
    String message;

    @Override
    int run(ApiClient c) {
        if (id < 1) throw new CommandLine.ParameterException(spec.commandLine(), "a revision id is a positive number, got " + id);
        String path = "api/v1/revisions/" + id + "/rollback"
                + (message == null || message.isEmpty() ? "" : "?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8));
        JsonNode r = c.send("POST", path, ApiClient.JSON_TYPE, null, null).json();
        if (api.json) out().print(AnswerText.json(r));
        else AnswerText.committed(out(), r);
        return 0;
    }
}
