package dev.bulwark.mgmt.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that speaks to the daemon's REST API: opens an {@link ApiClient} from {@link ApiOptions}, runs, and turns
 * a {@link ApiClient.Failure} into its lines on standard error and its exit code.
 */
abstract class ClientCommand implements Callable<Integer> {
    static final String EXIT_HEADING = "%nExit codes:%n";
    static final String EXIT_OK = "0:done";
    static final String EXIT_REFUSED = "1:the server refused the request (4xx: invalid config, stale ETag, bad token, ...) or the apply failed";
    static final String EXIT_USAGE = "2:usage error";
    static final String EXIT_UNREACHABLE = "3:cannot reach the API, or it failed (5xx)";

    @CommandLine.Mixin
    ApiOptions api;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Main main() {
        return spec.root().userObject() instanceof Main m ? m : new Main();
    }

    @Override
    public final Integer call() throws Exception {
        try (ApiClient client = api.client()) {
            return run(client);
        } catch (ApiClient.Failure f) {
            out().flush();
            for (String l : f.lines) err().println(l);
            return f.exitCode;
        } finally {
            out().flush();
            err().flush();
        }
    }

    abstract int run(ApiClient client) throws Exception;
}
