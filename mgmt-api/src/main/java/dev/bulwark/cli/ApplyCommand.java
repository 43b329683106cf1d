package dev.bulwark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.ReconcileException;
import dev.bulwark.control.reconcile.Reconciler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bulwark apply [--netns NAME] FILE}: brings the kernel to the config, all or nothing, then reads it back. No
 * daemon: the plan is made against the live state, applied, and checked.
 */
@Command(name = "apply", description = "Apply a config to the kernel, all or nothing: print the plan, apply it, read the kernel back.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:applied, and the kernel matches the config", "1:the config is invalid", "2:usage error",
                "3:nothing changed: a step failed and the previous state was restored, or the kernel could not be read",
                "4:a step failed and the previous state could not be fully restored"})
final class ApplyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Config file (YAML, or JSON when it ends in .json).")
    Path file;

    @Option(names = "--netns", paramLabel = "NAME", description = "Network namespace /run/netns/NAME (default: the current one).")
    String netns;

    @Option(names = "--json", description = "Print the plan and the outcome as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            DesiredState desired = Desired.load(file, err);
            if (desired == null) return 1;
            Plan plan = null;
            try (KernelDataplane dp = KernelDataplane.open(netns)) {
                Reconciler r = new Reconciler(dp);
                plan = r.plan(desired);
                if (!json) out.print(plan.text());
                out.flush();
                Reconciler.Applied applied = r.apply(desired);
                List<String> more = applied.warnings().stream().filter(w -> !applied.plan().warnings().contains(w)).toList();
                Plan rest = r.check(desired);
                if (!rest.isEmpty()) {
                    String why = "the kernel does not match the config after apply; it still differs in:\n" + rest.text();
                    if (json) out.println(outcome(applied.plan(), false, why, applied.warnings()));
                    else err.print("bulwark: " + why);
                    return 3;
                }
                if (json) {
                    out.println(outcome(applied.plan(), true, null, applied.warnings()));
                } else {
                    for (String w : more) out.println("warning: " + w);
                    out.println("applied");
                }
                return 0;
            } catch (ReconcileException e) {
                if (json) out.println(outcome(plan, false, e.getMessage(), List.of()));
                else err.println("bulwark: apply failed: " + e.getMessage());
                return e.restored() ? 3 : 4;
            } catch (RuntimeException e) {
                String why = (plan == null ? "cannot plan: " : "apply failed: ") + e.getMessage();
                if (json) out.println(outcome(plan, false, why, List.of()));
                else err.println("bulwark: " + why);
                return 3;
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String outcome(Plan plan, boolean applied, String error, List<String> warnings) {
        ObjectNode o = Output.JSON.createObjectNode();
        o.put("applied", applied);
        if (plan != null) o.set("plan", plan.json());
        if (error != null) o.put("error", error);
        var w = o.putArray("warnings");
        warnings.forEach(w::add);
        try {
            return Output.JSON.writeValueAsString(o);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
