package dev.bulwark.control.engine;

import dev.bulwark.config.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A commit refused before anything was written or sent to the kernel: it would lock the management API out
 * (anti-lockout), or the config cannot be compiled. Lists every problem with its JSON pointer.
 */
public final class CommitRefusedException extends RuntimeException {

    /** Why the commit was refused. */
    public enum Reason {
        /** The config would cut the management listener off from its management zones. */
        ANTI_LOCKOUT,
        /** The validator accepted the config, but it cannot be compiled into kernel state. */
        COMPILE
    }

    private final Reason reason;
    private final List<Problem> problems;

    public CommitRefusedException(Reason reason, List<Problem> problems) {
        super(message(reason, problems));
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    private static String message(Reason reason, List<Problem> problems) {
        String head = switch (reason) {
            case ANTI_LOCKOUT -> "refused: the config would lock the management API out (set management.anti-lockout: false to commit it anyway)";
            case COMPILE -> "refused: the config cannot be compiled";
        };
        return head + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"))
                + "\nnothing was committed and the kernel is unchanged";
    }

    public Reason reason() {
        return reason;
    }

    public List<Problem> problems() {
        return problems;
    }
}
