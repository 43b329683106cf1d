package dev.bulwark.control.revision;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.model.Config;
import java.time.Instant;

/**
 * One committed config.
 *
 * @param id         monotonically increasing, never reused (not even after pruning)
 * @param time       when it was committed
 * @param rollbackOf the revision whose config this one restores, or null for an ordinary commit
 * @param configText the config in canonical YAML ({@link dev.bulwark.config.ConfigWriter#toYaml})
 * @param sha256     hex SHA-256 of {@code configText} (UTF-8): the content hash to compare revisions by
 */
public record Revision(long id, Instant time, String author, Source source, String message, Long rollbackOf,
                       String configText, String sha256) {

    /** The config, parsed and validated from the stored text (each call parses anew). */
    public Config config() {
        return ConfigLoader.parse(configText, Format.YAML).orThrow();
    }

    /** {@code 42 2025-06-01T12:00:00Z alice (api): message}. */
    public String summary() {
        return id + " " + time + " " + author + " (" + source + (rollbackOf != null ? ", rollback of " + rollbackOf : "") + ")"
                + (message.isEmpty() ? "" : ": " + message);
    }
}
