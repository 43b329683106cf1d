package dev.bulwark.mgmt.cli;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.LoadResult;
import dev.bulwark.control.demo.DemoSandbox;
import dev.bulwark.mgmt.daemon.DemoRouter;
import dev.bulwark.mgmt.daemon.LogfmtLoggerFinder;
import dev.bulwark.mgmt.daemon.StructuredLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code bulwark demo}: a working router in a sandbox. Builds the namespaces bw-lan, bw-router and bw-wan (see
 * {@link DemoSandbox}), starts the daemon managing bw-router with the home-router example (and a fresh admin token),
 * serves a small web page on the LAN host behind the example's port-forward, prints what to try, and removes the
 * sandbox on Ctrl-C or SIGTERM. Running it again, or after a crash, starts clean.
 */
@Command(name = "demo", description = "Run a demo router: namespaces bw-lan, bw-router, bw-wan, the daemon managing bw-router, API on 127.0.0.1.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "examples/home-router.yaml",
            description = "Router config (default: ${DEFAULT-VALUE}); its tokens are replaced by a fresh admin token.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080", description = "API address (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/bulwark/demo",
            description = "Where the demo daemon keeps revisions; emptied at start (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!"root".equals(System.getProperty("user.name"))) {
            err.println("bulwark demo: needs root (it creates network namespaces); run it with sudo or as root");
            err.flush();
            return 1;
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--listen wants HOST:PORT, got '" + listen + "'");
        String host = listen.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--listen: '" + listen.substring(colon + 1) + "' is not a port");
        }
        LoadResult loaded = ConfigLoader.load(config);
        if (!loaded.valid()) {
            LoadReport.problems(err, loaded);
            err.println(LoadReport.summary(config.toString(), loaded));
            err.flush();
            return 1;
        }
        String token = DemoRouter.newToken();
        StructuredLog.install(Level.WARNING);
        LogfmtLoggerFinder.level(System.Logger.Level.WARNING);
        DemoRouter demo;
        try {
            demo = DemoRouter.start(loaded.config(), token, stateDir, host, port);
        } catch (Exception e) {
            err.println("bulwark demo: " + e.getMessage());
            err.flush();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bulwark-demo-stop").unstarted(() -> {
            demo.close();
            System.out.println("bulwark demo: stopped; namespaces removed");
        }));
        banner(out, demo.api(), token);
        demo.awaitClosed();
        return 0;
    }

    private static void banner(PrintWriter out, String api, String token) {
        out.println("""
                Bulwark demo router is running.
                  namespaces  bw-lan (192.168.1.10, .20) -- bw-router (eth1 192.168.1.1 | eth0 203.0.113.2) -- bw-wan (203.0.113.1)
                  API         %s
                  token       %s   (admin; it exists only for this run)

                Three things to try (in another shell, as root):
                  1. The live state, with per-rule counters:
                       curl -s -H 'Authorization: Bearer %s' %s/api/v1/state
                  2. The port-forward from the WAN side (tcp 443 -> 192.168.1.20:8443), then its counter in the metrics:
                       ip netns exec bw-wan curl -s http://203.0.113.2:443/
                       curl -s -H 'Authorization: Bearer %s' %s/metrics | grep 'rule="web"'
                  3. The LAN reaches the WAN through masquerade; the revisions so far:
                       ip netns exec bw-lan ping -c 1 203.0.113.1
                       BULWARK_API=%s BULWARK_TOKEN=%s ./bulwark revisions

                Ctrl-C (or SIGTERM) stops the daemon and removes the namespaces.""".formatted(api, token, token, api, token, api, api, token));
        out.flush();
    }
}
