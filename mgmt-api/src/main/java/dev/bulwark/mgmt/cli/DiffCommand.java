package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.model.Config;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bulwark diff A B}: what changed, section by section, between two config files, two revisions (numbers, read
 * through the API), or a revision and a file.
 */
@Command(name = "diff",
        description = {"Show what changed from A to B, section by section (+ added, - removed, ~ changed, ↕ moved).",
                "A and B are config files, or revision ids: an argument that is a number is a revision of the daemon, read through the API "
                        + "(--api/--token); write ./3 for a file named 3. Comparing a revision with a file shows what putting the file would change."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the differences are printed (\"no changes\" when there are none)",
                "1:a file is invalid, or the server refused (no such revision, bad token)", "2:usage error",
                "3:cannot reach the API, or it failed (5xx)"})
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "A", description = "Config file or revision id (the old side).")
    String before;

    @Parameters(index = "1", paramLabel = "B", description = "Config file or revision id (the new side).")
    String after;

    @CommandLine.Mixin
    ApiOptions api;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static boolean isRevision(String arg) {
        return dev.bulwark.config.types.Names.decimal(arg, 18) != null; // no sign, no leading zero, ASCII digits
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return diff(out, err);
        } catch (ApiClient.Failure f) {
            out.flush();
            for (String l : f.lines) err.println(l);
            return f.exitCode;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int diff(PrintWriter out, PrintWriter err) {
        boolean ra = isRevision(before);
        boolean rb = isRevision(after);
        for (String a : List.of(before, after)) {
            if (isRevision(a) && Files.exists(Path.of(a))) err.println("note: '" + a + "' is read as revision " + a + "; write ./" + a + " for the file");
        }
        if (ra && rb) {
            long a = Long.parseLong(before);
            long b = Long.parseLong(after);
            if (a < 1 || b < 1) throw new CommandLine.ParameterException(spec.commandLine(), "revision ids are positive numbers");
            try (ApiClient c = api.client()) {
                JsonNode d = c.getJson("api/v1/revisions/" + a + "/diff/" + b);
                if (api.json) out.print(AnswerText.json(d));
                else out.print(d.path("text").asText());
            }
            return 0;
        }
        Config a;
        Config b;
        if (ra || rb) {
            try (ApiClient c = api.client()) {
                a = ra ? revision(c, before) : file(before, err);
                b = rb ? revision(c, after) : file(after, err);
            }
        } else {
            a = file(before, err);
            b = file(after, err);
        }
        if (a == null || b == null) return 1;
        List<ConfigDiff.Change> changes = ConfigDiff.between(a, b);
        if (api.json) out.print(AnswerText.json(json(changes)));
        else out.print(ConfigDiff.render(changes));
        return 0;
    }

    /** A revision's config, read through the API. */
    private static Config revision(ApiClient c, String id) {
        JsonNode r = c.getJson("api/v1/revisions/" + id);
        byte[] json = r.path("config").toString().getBytes(StandardCharsets.UTF_8);
        LoadResult l = ConfigLoader.parse(json, Format.JSON);
        if (!l.valid()) {
            throw new ApiClient.Failure(ApiClient.UNREACHABLE, 200, List.of("error: revision " + id + " as the API sent it does not load: " + l.errors().getFirst()));
        }
        return l.config();
    }

    /** A config file, or null after printing its problems. */
    private static Config file(String name, PrintWriter err) {
        LoadResult r = ConfigLoader.load(Path.of(name));
        if (!r.valid()) {
            LoadReport.problems(err, r);
            err.println(LoadReport.summary(name, r));
            return null;
        }
        return r.config();
    }

    private static ObjectNode json(List<ConfigDiff.Change> changes) {
        ObjectNode o = ApiClient.JSON.createObjectNode();
        ArrayNode cs = o.putArray("changes");
        for (ConfigDiff.Change c : changes) {
            ObjectNode n = cs.addObject();
            n.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
            n.put("section", c.section());
            n.put("pointer", c.pointer());
            n.put("label", c.label());
            n.set("before", c.before());
            n.set("after", c.after());
            n.put("text", c.toString());
        }
        o.put("text", ConfigDiff.render(changes));
        return o;
    }
}
