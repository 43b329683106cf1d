package dev.bulwark.cli;

import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.LoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bulwark diff OLD NEW}: what changed, section by section. */
@Command(name = "diff", description = "Show what changed between two config files, section by section.")
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OLD")
    Path before;

    @Parameters(index = "1", paramLabel = "NEW")
    Path after;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LoadResult a = ConfigLoader.load(before);
        LoadResult b = ConfigLoader.load(after);
        var err = spec.commandLine().getErr();
        boolean ok = true;
        for (var pair : new Object[][]{{before, a}, {after, b}}) {
            LoadResult r = (LoadResult) pair[1];
            if (!r.valid()) {
                Output.problems(err, r);
                err.println(Output.summary(pair[0].toString(), r));
                ok = false;
            }
        }
        err.flush();
        if (!ok) return 1;
        var out = spec.commandLine().getOut();
        out.print(ConfigDiff.render(ConfigDiff.between(a.config(), b.config())));
        out.flush();
        return 0;
    }
}
