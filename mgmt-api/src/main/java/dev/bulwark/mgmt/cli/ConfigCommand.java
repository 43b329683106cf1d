package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark config get|put|edit}: the running config through the API. */
@Command(name = "config", description = "The running config through the daemon's API: get, put FILE, edit.",
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Put.class, ConfigCommand.Edit.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "config needs a command: get, put FILE or edit");
    }

    /** The newest revision (the ETag of GET /api/v1/config), or 0 when nothing is committed yet. */
    static long currentRevision(ApiClient c) {
        ApiClient.Response r = c.exchange("GET", "api/v1/config", ApiClient.JSON_TYPE, null, null);
        if (r.status() == 404 && r.body().contains("nothing is committed")) return 0;
        if (r.status() != 200) throw c.problem(r.status(), r.header("Content-Type"), r.body());
        Long rev = r.etagRevision();
        if (rev == null) throw new ApiClient.Failure(ApiClient.UNREACHABLE, 200, List.of("error: the API sent no revision ETag with the config"));
        return rev;
    }

    /** PUT /api/v1/config with If-Match: the commit answer (plan, revision, pending confirmation). */
    static JsonNode put(ApiClient c, byte[] body, String contentType, long expected, Integer confirm, String message) {
        List<String> q = new ArrayList<>();
        if (confirm != null) q.add("confirm=" + confirm);
        if (message != null && !message.isEmpty()) q.add("message=" + URLEncoder.encode(message, StandardCharsets.UTF_8));
        String path = "api/v1/config" + (q.isEmpty() ? "" : "?" + String.join("&", q));
        return c.send("PUT", path, ApiClient.JSON_TYPE, contentType, body, "If-Match", "\"" + expected + "\"").json();
    }

    static void checkConfirm(CommandLine cl, Integer confirm) {
        if (confirm != null && (confirm < 1 || confirm > 86_400)) {
            throw new CommandLine.ParameterException(cl, "--confirm is 1 to 86400 seconds, got " + confirm);
        }
    }

    @Command(name = "get", description = "Print the running config (YAML, or JSON with --json).",
            exitCodeListHeading = ClientCommand.EXIT_HEADING,
            exitCodeList = {ClientCommand.EXIT_OK, ClientCommand.EXIT_REFUSED, ClientCommand.EXIT_USAGE, ClientCommand.EXIT_UNREACHABLE})
    static final class Get extends ClientCommand {
        @Option(names = "--yaml", description = "Print YAML (the default).")
        boolean yaml;

        @Override
        int run(ApiClient c) {
            if (yaml && api.json) throw new CommandLine.ParameterException(spec.commandLine(), "--yaml and --json exclude each other");
            ApiClient.Response r = c.send("GET", "api/v1/config", api.json ? ApiClient.JSON_TYPE : ApiClient.YAML, null, null);
            out().print(r.body().endsWith("\n") ? r.body() : r.body() + "\n");
            return 0;
        }
    }

    @Command(name = "put",
            description = {"Replace the running config with FILE: validated, applied all or nothing, recorded as a new revision.",
                    "Sends If-Match with the revision read just before (or --if-match), so a change made by someone else in between is reported (nothing is overwritten). Prints the plan that was applied and the new revision."},
            exitCodeListHeading = ClientCommand.EXIT_HEADING,
            exitCodeList = {"0:committed", "1:refused (invalid config with every problem listed, stale revision, anti-lockout, bad token) or the kernel refused the change (the previous state is restored)",
                    ClientCommand.EXIT_USAGE, ClientCommand.EXIT_UNREACHABLE})
    static final class Put extends ClientCommand {
        @Parameters(paramLabel = "FILE", description = "Config file (YAML, or JSON when it ends in .json).")
        Path file;

        @Option(names = "--confirm", paramLabel = "SECONDS",
                description = "Roll back by itself unless 'bulwark commit confirm' follows within SECONDS (1-86400).")
        Integer confirm;

        @Option(names = "--message", paramLabel = "M", description = "The revision's message.")
        String message;

        @Option(names = "--if-match", paramLabel = "REVISION",
                description = "The revision FILE was based on (default: the current one, read just before the PUT).")
        Long ifMatch;

        @Override
        int run(ApiClient c) {
            checkConfirm(spec.commandLine(), confirm);
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + file);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
            }
            String type = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? ApiClient.JSON_TYPE : ApiClient.YAML;
            long expected = ifMatch != null ? ifMatch : currentRevision(c);
            main().beforeWrite.run();
            JsonNode r = put(c, body, type, expected, confirm, message);
            if (api.json) out().print(AnswerText.json(r));
            else AnswerText.committed(out(), r);
            return 0;
        }
    }

    @Command(name = "edit",
            description = {"Edit the running config in $VISUAL, else $EDITOR, else vi, then put it (with If-Match, as 'config put').",
                    "The editor runs on a temporary copy (no shell: the variable is split at spaces). Leaving it unchanged or empty changes nothing. "
                            + "When the put is refused the problems are printed and the edit is kept in its file, for 'config put'. "
                            + "Without a terminal, VISUAL or EDITOR must be set."},
            exitCodeListHeading = ClientCommand.EXIT_HEADING,
            exitCodeList = {"0:committed, or nothing to commit", "1:refused (invalid, stale revision, ...) or the apply failed; or the editor failed. The edit is kept.",
                    "2:usage error, no terminal and no VISUAL/EDITOR, or the editor cannot be started", ClientCommand.EXIT_UNREACHABLE})
    static final class Edit extends ClientCommand {
        @Option(names = "--confirm", paramLabel = "SECONDS",
                description = "Roll back by itself unless 'bulwark commit confirm' follows within SECONDS (1-86400).")
        Integer confirm;

        @Option(names = "--message", paramLabel = "M", description = "The revision's message.")
        String message;

        @Override
        int run(ApiClient c) throws Exception {
            checkConfirm(spec.commandLine(), confirm);
            Map<String, String> env = api.env();
            String editor = firstSet(env.get("VISUAL"), env.get("EDITOR"));
            if (editor == null) {
                if (!main().terminal.getAsBoolean()) {
                    err().println("error: 'bulwark config edit' needs a terminal for the editor, and neither VISUAL nor EDITOR is set");
                    err().println("hint: bulwark config get > router.yaml; edit it; bulwark config put router.yaml");
                    return ApiClient.USAGE;
                }
                editor = "vi";
            }
            ApiClient.Response got = c.send("GET", "api/v1/config", ApiClient.YAML, null, null);
            Long rev = got.etagRevision();
            if (rev == null) throw new ApiClient.Failure(ApiClient.UNREACHABLE, 200, List.of("error: the API sent no revision ETag with the config"));
            String original = "# Bulwark config, revision " + rev + " of " + c.where() + "\n"
                    + "# Save and quit to apply it; leave it unchanged or empty to change nothing.\n"
                    + got.body();
            Path tmp = tempFile(rev);
            Files.writeString(tmp, original);
            List<String> cmd = new ArrayList<>(Arrays.asList(editor.strip().split("\\s+")));
            cmd.add(tmp.toString());
            int status;
            try {
                status = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                err().println("error: cannot start the editor '" + editor + "': " + e.getMessage());
                err().println("hint: set VISUAL or EDITOR to an editor command");
                return ApiClient.USAGE;
            }
            if (status != 0) {
                err().println("error: the editor exited with status " + status + "; nothing was changed");
                err().println("your edit is kept in " + tmp);
                return ApiClient.REFUSED;
            }
            String edited = Files.readString(tmp);
            if (edited.equals(original) || edited.isBlank()) {
                Files.deleteIfExists(tmp);
                out().println(edited.isBlank() ? "the file is empty; nothing was changed" : "no changes; nothing was changed");
                return 0;
            }
            main().beforeWrite.run();
            JsonNode r;
            try {
                r = put(c, edited.getBytes(StandardCharsets.UTF_8), ApiClient.YAML, rev, confirm, message);
            } catch (ApiClient.Failure f) {
                List<String> lines = new ArrayList<>(f.lines);
                if (f.status == 412) {
                    lines.add("your edit (of revision " + rev + ") is kept in " + tmp + "; to put it over the newer revision: bulwark config put " + tmp);
                } else {
                    lines.add("your edit is kept in " + tmp + "; fix it and run: bulwark config put " + tmp + " --if-match " + rev);
                }
                throw new ApiClient.Failure(f.exitCode, f.status, lines);
            }
            Files.deleteIfExists(tmp);
            if (api.json) out().print(AnswerText.json(r));
            else AnswerText.committed(out(), r);
            return 0;
        }

        private static Path tempFile(long rev) throws IOException {
            try {
                return Files.createTempFile("bulwark-config-" + rev + "-", ".yaml",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                return Files.createTempFile("bulwark-config-" + rev + "-", ".yaml");
            }
        }

        private static String firstSet(String... values) {
            for (String v : values) if (v != null && !v.isBlank()) return v;
            return null;
        }
    }
}
