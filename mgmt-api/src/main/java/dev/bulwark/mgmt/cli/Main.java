package dev.bulwark.mgmt.cli;

import java.io.Console;
import java.util.Map;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bulwark} command: local commands on config files and the kernel (validate … daemon, demo), and the
 * client of a daemon's REST API (config … conntrack), which only speaks HTTP.
 *
 * <p>Exit codes: 0 success, 1 the command ran and found a problem (an invalid config; for the client: the server
 * refused the request with a 4xx, or the apply failed), 2 usage errors (unknown command or option, missing argument),
 * 3 the kernel refused a change (nothing changed) or could not be read; for the client: the API cannot be reached or
 * answered 5xx, 4 a change failed and could not be fully undone.
 */
@Command(name = "bulwark",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Bulwark router/firewall: one declarative config compiled into kernel state.",
                "Local: validate, show, diff, plan, apply, schema, token, daemon, demo. "
                        + "Client of a running daemon (--api URL --token TOKEN, or BULWARK_API and BULWARK_TOKEN): "
                        + "config get|put|edit, commit [confirm], revisions, rollback, diff (revision ids), status, conntrack [list|flush]."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a problem was found (invalid config); the server refused the request (4xx) or the apply failed",
                "2:usage error", "3:the kernel refused or could not be read; the API cannot be reached or failed (5xx)",
                "4:a local apply failed and could not be fully undone"},
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
                ConfigCommand.class,
                CommitCommand.class,
                RevisionsCommand.class,
                RollbackCommand.class,
                StatusCommand.class,
                ConntrackCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment the client commands read (BULWARK_API, BULWARK_TOKEN, VISUAL, EDITOR); tests replace it. */
    Map<String, String> env = System.getenv();

    /** Whether the CLI runs on a terminal (an editor needs one unless VISUAL or EDITOR is set); tests replace it. */
    BooleanSupplier terminal = () -> {
        Console c = System.console();
        return c != null && c.isTerminal();
    };

    /**
     * Runs when {@code config put} or {@code config edit} has read the revision it will send as If-Match, just before
     * the PUT: tests make a concurrent change here. Does nothing otherwise.
     */
    Runnable beforeWrite = () -> {
    };

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
