package dev.bulwark.config;

import dev.bulwark.config.model.Config;
import java.util.List;

/**
 * The outcome of reading a config: the config when it has no errors, and every problem found, errors and warnings
 * kept apart, each with its pointer and source position.
 */
public record LoadResult(Config config, List<Problem> errors, List<Problem> warnings) {

    public LoadResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        if (!errors.isEmpty()) config = null;
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** The config, or an {@link InvalidConfigException} listing every error. */
    public Config orThrow() {
        if (!valid()) throw new InvalidConfigException(errors);
        return config;
    }
}
