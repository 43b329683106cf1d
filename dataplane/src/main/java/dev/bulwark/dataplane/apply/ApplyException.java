package dev.bulwark.dataplane.apply;

import java.util.List;

/**
 * A step of a plan failed; the undo log was rolled back. The cause is the kernel's refusal
 * ({@link dev.bulwark.dataplane.netlink.NetlinkException}: errno, extended-ACK text, the equivalent command). Undo
 * operations that failed in turn are listed and attached as suppressed exceptions: then the previous state is not
 * fully restored, and the message says so.
 */
public final class ApplyException extends RuntimeException {
    private final Operation failed;
    private final List<Operation> undone;
    private final List<RuntimeException> undoFailures;

    public ApplyException(Operation failed, RuntimeException cause, List<Operation> undone, List<RuntimeException> undoFailures) {
        super(message(failed, cause, undone, undoFailures), cause);
        this.failed = failed;
        this.undone = List.copyOf(undone);
        this.undoFailures = List.copyOf(undoFailures);
        undoFailures.forEach(this::addSuppressed);
    }

    private static String message(Operation failed, RuntimeException cause, List<Operation> undone, List<RuntimeException> undoFailures) {
        StringBuilder sb = new StringBuilder(cause.getMessage() == null ? failed.command() + " failed" : cause.getMessage());
        if (undoFailures.isEmpty()) {
            sb.append("; rolled back ").append(undone.size()).append(undone.size() == 1 ? " undo operation" : " undo operations")
                    .append(", the previous state is restored");
        } else {
            sb.append("; rollback incomplete, ").append(undoFailures.size()).append(" of ").append(undone.size())
                    .append(" undo operations failed: ");
            sb.append(String.join("; ", undoFailures.stream().map(Throwable::getMessage).toList()));
        }
        return sb.toString();
    }

    /** The operation the kernel refused. */
    public Operation failed() {
        return failed;
    }

    /** The undo operations that were run (in the order they ran), including those that failed. */
    public List<Operation> undone() {
        return undone;
    }

    public List<RuntimeException> undoFailures() {
        return undoFailures;
    }

    /** Whether the rollback restored everything. */
    public boolean rolledBack() {
        return undoFailures.isEmpty();
    }
}
