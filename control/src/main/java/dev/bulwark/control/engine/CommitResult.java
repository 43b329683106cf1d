package dev.bulwark.control.engine;

import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.revision.PendingConfirm;
import dev.bulwark.control.revision.Revision;
import java.util.List;

/**
 * A commit (or rollback) the kernel accepted and the store recorded.
 *
 * @param revision the new revision, durable on disk
 * @param plan     what was changed in the kernel (empty when it already matched)
 * @param warnings what the config asks that this kernel or namespace does not do
 * @param pending  the confirm window this commit opened or extended, or null
 */
public record CommitResult(Revision revision, Plan plan, List<String> warnings, PendingConfirm pending) {
    public CommitResult {
        warnings = List.copyOf(warnings);
    }
}
