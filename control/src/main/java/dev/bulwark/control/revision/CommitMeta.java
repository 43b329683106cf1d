package dev.bulwark.control.revision;

import java.util.Objects;

/**
 * Who commits, why, and through what.
 *
 * @param author  user or token name; required
 * @param message free text, may be empty (never null)
 * @param source  api, cli, gitops or confirm-timeout
 */
public record CommitMeta(String author, String message, Source source) {

    public CommitMeta {
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(source, "source");
        if (author.isBlank()) throw new IllegalArgumentException("a commit needs an author");
        message = message == null ? "" : message;
    }

    public static CommitMeta of(String author, String message, Source source) {
        return new CommitMeta(author, message, source);
    }
}
