package dev.bulwark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bulwark} command. Exit codes: 0 success, 1 the command ran and found a problem (an invalid config),
 * 2 usage errors (unknown command or option, missing argument), 3 the kernel refused a change (nothing changed) or
 * could not be read, 4 a change failed and could not be fully undone.
 */
@Command(name = "bulwark",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Bulwark router/firewall: one declarative config compiled into kernel state.",
        subcommands = {
                ValidateCommand.class,
                ShowCommand.class,
                DiffCommand.class,
                PlanCommand.class,
                ApplyCommand.class,
                SchemaCommand.class,
                TokenCommand.class,
                DaemonCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"bulwark " + (v == null ? "development build" : v) + ", Java " + Runtime.version()};
        }
    }
}
