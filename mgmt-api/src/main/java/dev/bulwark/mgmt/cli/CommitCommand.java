package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bulwark commit [confirm]}: the commit waiting for confirmation, or confirm it. */
@Command(name = "commit",
        description = {"Show the commit waiting for confirmation (made with --confirm) and its deadline; 'commit confirm' confirms it.",
                "Without a confirmation by the deadline the daemon brings the previous revision back by itself."},
        exitCodeListHeading = ClientCommand.EXIT_HEADING,
        exitCodeList = {ClientCommand.EXIT_OK, "1:refused (nothing to confirm, the deadline passed, a read-only or bad token)",
                ClientCommand.EXIT_USAGE, ClientCommand.EXIT_UNREACHABLE})
final class CommitCommand extends ClientCommand {

    enum Action { show, confirm }

    @Parameters(paramLabel = "ACTION", arity = "0..1", defaultValue = "show", description = "show (default) or confirm.")
    Action action;

    @Override
    int run(ApiClient c) {
        if (action == Action.confirm) {
            JsonNode r = c.send("POST", "api/v1/commit/confirm", ApiClient.JSON_TYPE, null, null).json();
            if (api.json) out().print(AnswerText.json(r));
            else out().println("confirmed revision " + r.path("confirmed").asLong() + "; it stays");
            return 0;
        }
        JsonNode r = c.getJson("api/v1/commit");
        if (api.json) out().print(AnswerText.json(r));
        else if (r.path("pending").isNull() || r.path("pending").isMissingNode()) out().println("no commit is waiting for confirmation");
        else out().println(AnswerText.pending(r.get("pending")));
        return 0;
    }
}
