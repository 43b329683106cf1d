package dev.bulwark.control.revision;

import java.time.Instant;

/**
 * A commit waiting for confirmation, as persisted in {@code DIR/pending-confirm}.
 *
 * @param revision       the revision that waits for confirmation (the newest unconfirmed one)
 * @param revisionSha256 its config hash, to tell it apart from anything else that might get its id
 * @param rollbackTo     the last confirmed revision: where an expiry returns to
 * @param rollbackText   that revision's config text, kept here so that pruning cannot take it away
 * @param since          when the window opened
 * @param deadline       when the rollback happens unless confirmed before
 * @param author         who made the commit
 */
public record PendingConfirm(long revision, String revisionSha256, long rollbackTo, String rollbackText,
                             Instant since, Instant deadline, String author) {

    @Override
    public String toString() {
        return "revision " + revision + " by " + author + " awaits confirmation until " + deadline + ", else back to revision " + rollbackTo;
    }
}
