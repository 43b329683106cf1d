package dev.bulwark.cli;

import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.Reconciler;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark plan [--netns NAME] FILE}: what apply would change, against the live kernel state. */
@Command(name = "plan", description = "Show what 'apply' would change: the config compiled and compared with the kernel's live state. Changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan is printed (\"no changes\" when the kernel matches)", "1:the config is invalid",
                "2:usage error", "3:the kernel could not be read (or the config names a device that does not exist)"})
final class PlanCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Config file (YAML, or JSON when it ends in .json).")
    Path file;

    @Option(names = "--netns", paramLabel = "NAME", description = "Network namespace /run/netns/NAME (default: the current one).")
    String netns;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        DesiredState desired = Desired.load(file, err);
        if (desired == null) return 1;
        try (KernelDataplane dp = KernelDataplane.open(netns)) {
            Plan plan = new Reconciler(dp).plan(desired);
            out.print(json ? plan.toJson() + "\n" : plan.text());
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            err.println("bulwark: cannot plan: " + e.getMessage());
            err.flush();
            return 3;
        }
    }
}
