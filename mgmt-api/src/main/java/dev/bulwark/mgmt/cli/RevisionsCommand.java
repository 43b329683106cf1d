package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code bulwark revisions}: the stored revisions, newest first. */
@Command(name = "revisions",
        description = {"List the committed revisions, newest first (* marks the running one).",
                "Compare two with 'bulwark diff A B', bring one back with 'bulwark rollback ID'."},
        exitCodeListHeading = ClientCommand.EXIT_HEADING,
        exitCodeList = {ClientCommand.EXIT_OK, ClientCommand.EXIT_REFUSED, ClientCommand.EXIT_USAGE, ClientCommand.EXIT_UNREACHABLE})
final class RevisionsCommand extends ClientCommand {

    @Override
    int run(ApiClient c) {
        JsonNode r = c.getJson("api/v1/revisions");
        if (api.json) {
            out().print(AnswerText.json(r));
            return 0;
        }
        long current = r.path("current").asLong(-1);
        TextTable t = new TextTable("", "ID", "TIME", "AUTHOR", "SOURCE", "MESSAGE").right(1);
        for (JsonNode v : r.path("revisions")) {
            long id = v.path("id").asLong();
            String msg = v.path("message").asText("");
            if (v.hasNonNull("rollbackOf") && !msg.contains("revision " + v.get("rollbackOf").asLong())) {
                msg = (msg.isEmpty() ? "" : msg + " ") + "(rollback to " + v.get("rollbackOf").asLong() + ")";
            }
            t.row(id == current ? "*" : "", id, AnswerText.time(v.path("time").asText()), v.path("author").asText(), v.path("source").asText(), msg);
        }
        t.print(out());
        if (r.path("revisions").isEmpty()) out().println("no revisions yet");
        for (JsonNode d : r.path("damaged")) err().println("warning: revision " + d.path("id").asLong() + " is damaged: " + d.path("problem").asText());
        return 0;
    }
}
