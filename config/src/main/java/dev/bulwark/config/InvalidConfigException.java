package dev.bulwark.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config was refused; {@link #errors()} lists every reason with its pointer. */
public class InvalidConfigException extends RuntimeException {
    private final List<Problem> errors;

    public InvalidConfigException(List<Problem> errors) {
        super(errors.size() + " error" + (errors.size() == 1 ? "" : "s") + " in the config:\n"
                + errors.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<Problem> errors() {
        return errors;
    }
}
