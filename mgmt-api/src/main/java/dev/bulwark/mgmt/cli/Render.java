package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** How the client commands print the API's answers for people: plans, commits, pending confirmations, tables. */
final class Render {
    private Render() {
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

    /** A plain text table: a header row and aligned columns (the last one is not padded). */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final boolean[] right;

        Table(String... header) {
            rows.add(header);
            right = new boolean[header.length];
        }

        /** Right-aligns a column (numbers). */
        Table right(int column) {
            right[column] = true;
            return this;
        }

        Table row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "-" : cells[i].toString();
            rows.add(r);
            return this;
        }

        void print(PrintWriter out) {
            int cols = rows.getFirst().length;
            int[] w = new int[cols];
            for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < cols; i++) {
                    if (i > 0) sb.append("  ");
                    boolean last = i == cols - 1;
                    String pad = " ".repeat(w[i] - r[i].length());
                    if (right[i]) sb.append(pad).append(r[i]);
                    else sb.append(r[i]).append(last ? "" : pad);
                }
                out.println(sb.toString().stripTrailing());
            }
        }
    }
}
