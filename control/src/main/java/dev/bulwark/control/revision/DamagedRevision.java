package dev.bulwark.control.revision;

import java.nio.file.Path;

/**
 * A revision file that exists under its final name but cannot be trusted: its checksum fails, or it is not a
 * revision file at all. Such a file is never the leftover of a crash (a revision file appears under its final name
 * only after its content is on disk), so the store reports it and leaves it in place as evidence.
 */
public record DamagedRevision(long id, Path file, String reason) {

    @Override
    public String toString() {
        return "revision " + id + " (" + file + ") is damaged: " + reason;
    }
}
