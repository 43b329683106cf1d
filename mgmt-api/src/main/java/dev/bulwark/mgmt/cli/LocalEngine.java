package dev.bulwark.mgmt.cli;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.engine.EngineOptions;
import dev.bulwark.mgmt.api.Problems;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * What {@code bulwark plan} and {@code bulwark apply} share: the config file read as validate reads it, and the engine
 * run in-process against a state directory ({@link Engine#open}: the daemon's checks and commit path, its store and
 * lock), with failures told in the API's words.
 */
final class LocalEngine {

    /** Where the daemon and the CLI keep revisions unless told otherwise. */
    static final String DEFAULT_STATE_DIR = "/var/lib/bulwark";

    /** The options plan and apply share (a picocli mixin): the config file, the namespace, the state directory. */
    static final class Target {
        @picocli.CommandLine.Parameters(paramLabel = "FILE", description = "Config file (YAML, or JSON when it ends in .json).")
        Path file;

        @picocli.CommandLine.Option(names = "--netns", paramLabel = "NAME", description = "Network namespace /run/netns/NAME (default: the current one).")
        String netns;

        @picocli.CommandLine.Option(names = "--state-dir", paramLabel = "DIR", defaultValue = DEFAULT_STATE_DIR,
                description = "The revision store (default: ${DEFAULT-VALUE}); refused while a daemon holds it.")
        Path stateDir;

        /** The config, or null after printing why there is none (exit code 1). */
        Config load(PrintWriter err) {
            return LocalEngine.load(file, err);
        }

        /** The engine of the state directory for the namespace. */
        Engine open() throws IOException {
            return LocalEngine.open(stateDir, netns);
        }
    }

    private LocalEngine() {
    }

    /** The config, or null after printing why there is none (exit code 1); warnings are printed. */
    static Config load(Path file, PrintWriter err) {
        LoadResult r = ConfigLoader.load(file);
        if (!r.valid()) {
            LoadReport.problems(err, r);
            err.println(LoadReport.summary(file.toString(), r));
            err.flush();
            return null;
        }
        for (Problem w : r.warnings()) err.println("warning: " + w);
        return r.config();
    }

    /**
     * The engine of {@code stateDir} for namespace {@code netns} (null: the current one).
     *
     * @throws IOException with a message that says what to do when a daemon holds the state directory
     */
    static Engine open(Path stateDir, String netns) throws IOException {
        try {
            return Engine.open(EngineOptions.kernel(stateDir, netns).withMonitor(null));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("is in use")) {
                throw new IOException("the state directory " + stateDir + " is in use by another Bulwark process (a running daemon?): "
                        + "change its config through the API (bulwark config put FILE), or stop it, or give another --state-dir", e);
            }
            throw new IOException("cannot open the state directory " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /** Waits for an engine future; its failure is rethrown unwrapped. */
    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    static Exception unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) t = t.getCause();
        return t instanceof Exception e ? e : new IllegalStateException(t);
    }

    /** The lines the API's client prints for the same failure: {@code error: title — detail}, then each problem. */
    static List<String> describe(Throwable failure) {
        var doc = Problems.document(failure);
        return ApiClient.describe(doc, doc.path("status").asInt(500));
    }
}
