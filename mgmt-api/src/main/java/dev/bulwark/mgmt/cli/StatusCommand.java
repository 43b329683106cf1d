package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code bulwark status}: the engine at a glance. */
@Command(name = "status",
        description = "Show the daemon at a glance: converged or not, the applied and newest revision, drift, a pending confirmation, counts.",
        exitCodeListHeading = ClientCommand.EXIT_HEADING,
        exitCodeList = {"0:done (whether converged or not: see the output)", ClientCommand.EXIT_REFUSED, ClientCommand.EXIT_USAGE, ClientCommand.EXIT_UNREACHABLE})
final class StatusCommand extends ClientCommand {

    @Override
    int run(ApiClient c) {
        JsonNode s = c.getJson("api/v1/status");
        if (api.json) {
            out().print(AnswerText.json(s));
            return 0;
        }
        JsonNode m = s.path("metrics");
        JsonNode drift = s.path("drift");
        TextTable t = new TextTable("api", c.where());
        t.row("converged", s.path("converged").asBoolean() ? "yes: the kernel holds the applied revision" : "no");
        t.row("revision", "applied " + AnswerText.text(s.get("applied")) + ", newest " + AnswerText.text(s.get("latest")));
        t.row("last reconcile", AnswerText.time(AnswerText.text(s.get("lastReconcile"))));
        t.row("last error", AnswerText.text(s.get("lastError")));
        t.row("drift", s.path("driftMode").asText("-") + " mode, " + (s.path("watching").asBoolean() ? "watching kernel notifications" : "not watching")
                + (drift.isObject() ? "; standing since " + AnswerText.time(drift.path("detected").asText()) + " (" + drift.path("differences").size()
                + " differences" + (drift.path("repaired").asBoolean() ? ", repaired" : "") + ")" : "; none standing"));
        t.row("pending", s.path("pending").isObject() ? AnswerText.pending(s.get("pending")) : "no commit waits for confirmation");
        t.row("commits", m.path("commits").asLong() + " (refused " + m.path("commitsRefused").asLong() + ", failed " + m.path("commitsFailed").asLong()
                + "), rollbacks " + m.path("rollbacks").asLong() + ", confirms " + m.path("confirms").asLong()
                + ", confirm timeouts " + m.path("confirmTimeouts").asLong());
        t.row("reconcile", "failures " + m.path("reconcileFailures").asLong() + "; drift detected " + m.path("driftDetected").asLong()
                + ", repaired " + m.path("driftRepaired").asLong());
        t.print(out());
        return 0;
    }
}
