package dev.bulwark.cli;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import dev.bulwark.control.compile.CompileException;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loads, validates and compiles a config file for plan and apply; prints the problems as validate does. */
final class Desired {
    private Desired() {
    }

    /** The desired state, or null after printing why there is none (exit code 1). */
    static DesiredState load(Path file, PrintWriter err) {
        LoadResult r = ConfigLoader.load(file);
        if (!r.valid()) {
            Output.problems(err, r);
            err.println(Output.summary(file.toString(), r));
            err.flush();
            return null;
        }
        for (Problem w : r.warnings()) err.println("warning: " + w);
        try {
            return Compiler.compile(r.config());
        } catch (CompileException e) {
            for (Problem p : e.problems()) err.println(p);
            int n = e.problems().size();
            err.println(file + ": valid, but cannot be compiled, " + n + " error" + (n == 1 ? "" : "s"));
            err.flush();
            return null;
        }
    }
}
