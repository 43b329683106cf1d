package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.CompileException;
import dev.bulwark.control.engine.CommitRefusedException;
import dev.bulwark.control.engine.CommitResult;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.ReconcileException;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Source;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bulwark apply [--state-dir DIR] [--netns NAME] FILE}: commits the config through the engine in-process, as
 * the daemon commits (anti-lockout and compile checks, all or nothing, a revision recorded), then reads the kernel
 * back. Refused while a daemon holds the state directory: then the daemon's API is the way to change the config.
 */
@Command(name = "apply", description = "Commit a config to the kernel without a daemon, all or nothing: the anti-lockout and compile checks, "
        + "the plan, the apply, a revision in the state directory, then the kernel read back.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:applied, recorded, and the kernel matches the config", "1:the config is invalid, cannot be compiled, or would lock the management API out",
                "2:usage error",
                "3:nothing changed: a step failed and the previous state was restored, the kernel could not be read, or the state directory is in use",
                "4:a step failed and the previous state could not be fully restored"})
final class ApplyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Mixin
    LocalEngine.Target target;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", defaultValue = "", description = "The revision's message.")
    String message;

    @Option(names = "--confirm", paramLabel = "SECONDS", description = "Refused: commit-confirm needs the daemon, which rolls the "
            + "commit back when it is not confirmed in time; a command that has ended cannot. Use: bulwark config put FILE --confirm SECONDS.")
    Long confirm;

    @Option(names = "--json", description = "Print the plan and the outcome as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Config config = target.load(err);
            if (config == null) return 1;
            Plan plan = null;
            try (Engine engine = target.open()) {
                engine.check(config);
                plan = LocalEngine.await(engine.plan(config));
                if (!json) out.print(plan.text());
                out.flush();
                CommitResult done = LocalEngine.await(engine.commit(config, CommitMeta.of(user(), message, Source.CLI),
                        confirm == null ? null : java.time.Duration.ofSeconds(confirm)));
                List<String> more = done.warnings().stream().filter(w -> !done.plan().warnings().contains(w)).toList();
                Plan rest = LocalEngine.await(engine.differences());
                if (!rest.isEmpty()) {
                    String why = "the kernel does not match the config after apply; it still differs in:\n" + rest.text();
                    if (json) out.println(outcome(done.plan(), false, why, done.warnings(), done.revision().id()));
                    else err.print("bulwark: " + why);
                    return 3;
                }
                if (json) {
                    out.println(outcome(done.plan(), true, null, done.warnings(), done.revision().id()));
                } else {
                    for (String w : more) out.println("warning: " + w);
                    out.println("applied (revision " + done.revision().id() + " in " + target.stateDir + ")");
                }
                return 0;
            } catch (CommitRefusedException | CompileException e) {
                return refused(out, err, plan, e, 1);
            } catch (ReconcileException e) {
                return refused(out, err, plan, e, e.restored() ? 3 : 4);
            } catch (Exception e) {
                String why = (plan == null ? "cannot plan: " : "apply failed: ") + e.getMessage();
                if (json) out.println(outcome(plan, false, why, List.of(), null));
                else err.println("bulwark: " + why);
                return 3;
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A refusal or a failed apply, in the API's words. */
    private int refused(PrintWriter out, PrintWriter err, Plan plan, Exception e, int code) {
        List<String> lines = LocalEngine.describe(e);
        if (json) out.println(outcome(plan, false, String.join("\n", lines), List.of(), null));
        else lines.forEach(err::println);
        return code;
    }

    private static String user() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "cli" : u;
    }

    private static String outcome(Plan plan, boolean applied, String error, List<String> warnings, Long revision) {
        ObjectNode o = JSON.createObjectNode();
        o.put("applied", applied);
        if (revision != null) o.put("revision", revision);
        if (plan != null) o.set("plan", plan.json());
        if (error != null) o.put("error", error);
        var w = o.putArray("warnings");
        warnings.forEach(w::add);
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
