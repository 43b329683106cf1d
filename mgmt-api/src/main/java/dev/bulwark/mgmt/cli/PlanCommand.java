package dev.bulwark.mgmt.cli;

import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.CompileException;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.reconcile.Plan;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bulwark plan [--state-dir DIR] [--netns NAME] FILE}: what apply would change, against the live kernel state,
 * planned by the engine in-process as the daemon plans. Changes nothing.
 */
@Command(name = "plan", description = "Show what 'apply' would change: the config compiled and compared with the kernel's live state. Changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan is printed (\"no changes\" when the kernel matches)", "1:the config is invalid or cannot be compiled",
                "2:usage error", "3:the kernel could not be read (or the config names a device that does not exist), or the state directory is in use"})
final class PlanCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LocalEngine.Target target;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try {
            Config config = target.load(err);
            if (config == null) return 1;
            try (Engine engine = target.open()) {
                Plan plan = LocalEngine.await(engine.plan(config));
                out.print(json ? plan.toJson() + "\n" : plan.text());
                return 0;
            } catch (CompileException e) {
                LocalEngine.describe(e).forEach(err::println);
                return 1;
            } catch (Exception e) {
                err.println("bulwark: cannot plan: " + e.getMessage());
                return 3;
            }
        } finally {
            out.flush();
            err.flush();
        }
    }
}
