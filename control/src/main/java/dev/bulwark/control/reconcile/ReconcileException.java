package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.netlink.NetlinkException;
import java.util.List;

/**
 * An apply failed: which step of the plan failed and why (for a kernel refusal: the operation, errno and the
 * kernel's extended-ACK message), and whether the rollback restored the state from before the apply. Undo steps that
 * failed in turn are listed and attached as suppressed exceptions.
 */
public final class ReconcileException extends RuntimeException {
    private final String subsystem;
    private final String failed;
    private final int step;
    private final int steps;
    private final int undone;
    private final List<RuntimeException> undoFailures;

    ReconcileException(String subsystem, String failed, int step, int steps, RuntimeException cause, int undone,
                       List<String> undoneSubsystems, List<RuntimeException> undoFailures) {
        super(message(subsystem, failed, step, steps, cause, undone, undoneSubsystems, undoFailures), cause);
        this.subsystem = subsystem;
        this.failed = failed;
        this.step = step;
        this.steps = steps;
        this.undone = undone;
        this.undoFailures = List.copyOf(undoFailures);
        undoFailures.forEach(this::addSuppressed);
    }

    private static String message(String subsystem, String failed, int step, int steps, RuntimeException cause, int undone,
                                  List<String> undoneSubsystems, List<RuntimeException> undoFailures) {
        StringBuilder sb = new StringBuilder();
        sb.append("step ").append(step).append(" of ").append(steps).append(" failed (").append(subsystem).append("): ").append(failed)
                .append("\n  ").append(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        if (undoFailures.isEmpty()) {
            if (undone == 0) {
                sb.append("\n  nothing had been changed before it; the previous state stands");
            } else {
                sb.append("\n  undid the ").append(undone).append(undone == 1 ? " step" : " steps").append(" already done (")
                        .append(String.join(", ", undoneSubsystems)).append("): the previous state is restored");
            }
        } else {
            sb.append("\n  rollback incomplete: ").append(undoFailures.size()).append(" of ").append(undone)
                    .append(" undo steps failed; the kernel may be between the two states:");
            for (RuntimeException f : undoFailures) sb.append("\n    ").append(f.getMessage());
        }
        sb.append("\n  the next reconcile reads everything back (full resync)");
        return sb.toString();
    }

    /** The subsystem of the failed step: nft, network, sysctl. */
    public String subsystem() {
        return subsystem;
    }

    /** The failed step as the plan shows it. */
    public String failed() {
        return failed;
    }

    /** The failed step's number (1-based) among the plan's steps. */
    public int step() {
        return step;
    }

    public int steps() {
        return steps;
    }

    /** How many completed steps were undone. */
    public int undone() {
        return undone;
    }

    public List<RuntimeException> undoFailures() {
        return undoFailures;
    }

    /** Whether the state from before the apply is restored. */
    public boolean restored() {
        return undoFailures.isEmpty();
    }

    /** The kernel's refusal, if the failure was one. */
    public NetlinkException kernelError() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) if (t instanceof NetlinkException n) return n;
        return null;
    }

    /** The errno of the kernel's refusal, or 0. */
    public int errno() {
        NetlinkException n = kernelError();
        return n == null ? 0 : n.errno();
    }

    /** The kernel's extended-ACK message, or null. */
    public String kernelMessage() {
        NetlinkException n = kernelError();
        return n == null ? null : n.kernelMessage();
    }
}
