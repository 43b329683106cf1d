package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The API's answers as the client commands print them for people: plans, commits, pending confirmations, problems,
 * times; or as indented JSON for {@code --json}. Tables are {@link TextTable}'s.
 */
final class AnswerText {
    private AnswerText() {
    }

    /** The JSON, indented, for {@code --json}. */
    static String json(JsonNode n) {
        try {
            return ApiClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(n) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plan as {@code bulwark plan} prints it: one header per subsystem, one line per change; "no changes". */
    static String plan(JsonNode plan) {
        StringBuilder sb = new StringBuilder();
        JsonNode subs = plan.path("subsystems");
        if (subs.isEmpty()) sb.append("no changes\n");
        for (JsonNode s : subs) {
            sb.append(s.path("name").asText());
            String summary = s.path("summary").asText("");
            if (!summary.isEmpty()) sb.append(": ").append(summary);
            sb.append('\n');
            for (JsonNode c : s.path("changes")) sb.append("  ").append(c.path("op").asText()).append(' ').append(c.path("text").asText()).append('\n');
        }
        for (JsonNode w : plan.path("warnings")) sb.append("warning: ").append(w.asText()).append('\n');
        return sb.toString();
    }

    /** A commit's answer (PUT /config, rollback): the plan applied, the new revision, warnings, a pending confirmation. */
    static void committed(PrintWriter out, JsonNode r) {
        out.print(plan(r.path("plan")));
        JsonNode rev = r.path("revision");
        StringBuilder line = new StringBuilder("committed revision ").append(rev.path("id").asLong());
        if (rev.hasNonNull("rollbackOf")) line.append(" (the config of revision ").append(rev.get("rollbackOf").asLong()).append(')');
        if (!r.path("changed").asBoolean(true)) line.append("; the kernel already matched it");
        out.println(line);
        for (JsonNode w : r.path("warnings")) out.println("warning: " + w.asText());
        for (JsonNode w : r.path("configWarnings")) out.println("warning: " + problem(w));
        if (r.hasNonNull("pending")) out.println(pending(r.get("pending")));
    }

    /** "revision 5 waits for confirmation: ..." with its deadline and what happens without one. */
    static String pending(JsonNode p) {
        return "revision " + p.path("revision").asLong() + " waits for confirmation until " + time(p.path("deadline").asText())
                + " (" + seconds(p.path("secondsLeft").asDouble()) + " left): confirm it with 'bulwark commit confirm', else revision "
                + p.path("rollbackTo").asLong() + " comes back";
    }

    static String seconds(double s) {
        long n = (long) Math.ceil(s);
        return n + " s";
    }

    static String problem(JsonNode e) {
        String where = e.hasNonNull("line") ? " (line " + e.get("line").asInt() + ", column " + e.path("column").asInt() + ")" : "";
        return e.path("pointer").asText("/") + ": " + e.path("message").asText() + where;
    }

    /** An ISO instant to the second ("2026-11-24T18:04:02Z"); other text as it is; "-" for none. */
    static String time(String iso) {
        if (iso == null || iso.isEmpty() || iso.equals("null")) return "-";
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }
}
