package dev.bulwark.control.reconcile;

import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.Dataplane;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One kind of kernel state the {@link Reconciler} keeps equal to the config. {@code D} is its part of the
 * {@link DesiredState}; {@code L} is what the reconciler knows of the live state (read back, or known after an
 * apply). A new subsystem (tc shaping, XDP, SR-IOV) is one implementation of this interface, reaching the kernel
 * through its own port ({@code dev.bulwark.dataplane.port}: the interface with its {@code KIND}, a kernel
 * implementation, a fake in the test-jar), compiling its own part of the desired state ({@link #compile}), and its
 * line in {@link Subsystems#STANDARD}.
 *
 * <p>{@link #plan} is pure: no dataplane access. Reads happen in {@link #read} (full resync) and {@link #after}; the
 * plan's actions are what {@code apply} sends, nothing is planned twice.
 */
public interface Subsystem<D, L> {

    /** The section name in plans and errors. */
    String name();

    /**
     * This subsystem's part of what {@code config} asks of the kernel: a plain value, compared with {@code equals}.
     * Pure; throws {@link dev.bulwark.control.compile.CompileException} with every problem's config pointer when the
     * kernel cannot express what the validator allowed.
     */
    D compile(Config config);

    /** This subsystem's part of a compiled desired state. */
    @SuppressWarnings("unchecked")
    default D desired(DesiredState state) {
        return (D) state.part(name());
    }

    /**
     * Reads the live state that matters for {@code desired} (and for {@code previous}, the last applied desired
     * value or null) back from the kernel.
     */
    L read(Dataplane dp, D desired, D previous);

    /**
     * Whether {@code known} tells everything {@link #plan} needs for {@code desired}; when not, the reconciler reads
     * first (e.g. sysctl keys a new config names for the first time).
     */
    default boolean covers(L known, D desired) {
        return true;
    }

    /**
     * The steps that turn {@code known} into {@code desired}, in order, each with its undo, and the lines that
     * show them. {@code where} names the namespace for warnings.
     */
    Part plan(L known, D desired, D previous, String where);

    /**
     * What is known after {@code part} was applied successfully (it may read back, or compute); null when it
     * cannot tell, so the next reconcile reads it.
     */
    L after(Dataplane dp, L known, D desired, Part part);

    /**
     * A subsystem's plan: its section (empty when nothing changes), its steps, its warnings, and {@code learned}: where
     * its steps leave what they learn of the live state for {@link #after} (e.g. the nft batch's echoed rule handles).
     */
    record Part(Plan.Section section, List<Action> actions, List<String> warnings, AtomicReference<Object> learned) {
        public Part {
            actions = List.copyOf(actions);
            warnings = List.copyOf(warnings);
        }

        public Part(Plan.Section section, List<Action> actions, List<String> warnings) {
            this(section, actions, warnings, new AtomicReference<>());
        }

        public boolean isEmpty() {
            return actions.isEmpty();
        }
    }
}
