package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * A config's {@link LoadResult} as the CLI reports it (validate, show, diff, plan, apply, demo): its problems one
 * {@code pointer: message} line each, a summary line ("FILE: valid (1 warning)"), or JSON.
 */
final class LoadReport {
    private LoadReport() {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static void problems(PrintWriter out, LoadResult r) {
        for (Problem p : r.errors()) out.println(p);
        for (Problem p : r.warnings()) out.println("warning: " + p);
    }

    static String summary(String source, LoadResult r) {
        int e = r.errors().size();
        int w = r.warnings().size();
        String ws = w == 0 ? "" : (e == 0 ? " (" : ", ") + w + " warning" + (w == 1 ? "" : "s") + (e == 0 ? ")" : "");
        return e == 0 ? source + ": valid" + ws : source + ": invalid, " + e + " error" + (e == 1 ? "" : "s") + ws;
    }

    static String json(String source, LoadResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", source);
        o.put("valid", r.valid());
        o.set("errors", problems(r.errors()));
        o.set("warnings", problems(r.warnings()));
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ArrayNode problems(List<Problem> ps) {
        ArrayNode a = JSON.createArrayNode();
        for (Problem p : ps) {
            ObjectNode n = a.addObject();
            n.put("pointer", p.pointer());
            n.put("message", p.message());
            n.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
            if (p.line() != null) {
                n.put("line", p.line());
                n.put("column", p.column());
            }
        }
        return a;
    }
}
