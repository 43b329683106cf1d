package dev.bulwark.mgmt.cli;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.LoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark validate FILE}: exit 0 when valid, 1 when not, one line per problem. */
@Command(name = "validate", description = "Check a config file; print one 'pointer: message' line per problem.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the config is valid (warnings may be printed)", "1:the config is invalid", "2:usage error"})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Config file (YAML, or JSON when it ends in .json).")
    Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LoadResult r = ConfigLoader.load(file);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(LoadReport.json(file.toString(), r));
        } else {
            LoadReport.problems(out, r);
            out.println(LoadReport.summary(file.toString(), r));
        }
        out.flush();
        return r.valid() ? 0 : 1;
    }
}
