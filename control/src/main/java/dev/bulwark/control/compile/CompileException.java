package dev.bulwark.control.compile;

import dev.bulwark.config.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** A config the validator accepted but that cannot be compiled; lists every problem with its pointer. */
public final class CompileException extends RuntimeException {
    private final List<Problem> problems;

    public CompileException(List<Problem> problems) {
        super("the config cannot be compiled:\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
