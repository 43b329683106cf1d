package dev.bulwark.mgmt.cli;

import dev.bulwark.config.InvalidConfigException;
import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.mgmt.daemon.LogfmtLoggerFinder;
import dev.bulwark.mgmt.daemon.StructuredLog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code bulwark daemon}: the long-running control plane with its REST API. Runs until SIGTERM or SIGINT, then stops
 * HTTP and the engine; the kernel keeps the committed state.
 */
@Command(name = "daemon", description = "Run the daemon: keep the kernel equal to the committed config and serve the REST API.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:the config file is invalid, or the daemon could not start", "2:usage error"})
final class DaemonCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Config committed as revision 1 on a first start (an empty state directory).")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", required = true, description = "Revisions, commit-confirm record and audit log.")
    Path stateDir;

    @Option(names = "--netns", paramLabel = "NAME", description = "Manage network namespace /run/netns/NAME (default: the daemon's own).")
    String netns;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "API address (default: management.listen of the config).")
    String listen;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "INFO", description = "ERROR, WARN, INFO or DEBUG (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String lvl = logLevel.toUpperCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("ERROR", "WARN", "WARNING", "INFO", "DEBUG").contains(lvl)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log-level is ERROR, WARN, INFO or DEBUG, not '" + logLevel + "'");
        }
        LogfmtLoggerFinder.level(switch (lvl) {
            case "ERROR" -> System.Logger.Level.ERROR;
            case "WARN", "WARNING" -> System.Logger.Level.WARNING;
            case "DEBUG" -> System.Logger.Level.DEBUG;
            default -> System.Logger.Level.INFO;
        });
        StructuredLog.install(switch (lvl) {
            case "ERROR" -> Level.SEVERE;
            case "DEBUG" -> Level.FINE;
            case "INFO" -> Level.INFO;
            default -> Level.WARNING;
        });
        Daemon.Options o = Daemon.Options.of(config, stateDir).netns(netns);
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            if (colon <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--listen wants HOST:PORT, got '" + listen + "'");
            String host = listen.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port;
            try {
                port = Integer.parseInt(listen.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--listen: '" + listen.substring(colon + 1) + "' is not a port");
            }
            if (port < 0 || port > 65535) throw new CommandLine.ParameterException(spec.commandLine(), "--listen: port " + port + " is out of range");
            o = o.listen(host, port);
        }
        Daemon d;
        try {
            d = Daemon.start(o);
        } catch (InvalidConfigException e) {
            spec.commandLine().getErr().println("bulwark: " + config + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        } catch (Exception e) {
            spec.commandLine().getErr().println("bulwark: cannot start the daemon: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bulwark-shutdown").unstarted(d::close));
        try {
            d.ready().get();
        } catch (ExecutionException e) {
            spec.commandLine().getErr().println("bulwark: the daemon could not start: " + e.getCause().getMessage());
            spec.commandLine().getErr().flush();
            d.close();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.close();
            return 1;
        }
        try {
            d.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
