package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.port.Dataplane;

import java.util.List;
import java.util.function.Function;

/**
 * One step of an apply: one dataplane call (one netlink request, or the whole nft batch) with how to undo it.
 * The {@link Reconciler} asks for the undo ({@link #undo}, which may read what it needs) and records it before it
 * runs {@link #apply}; a step the kernel refuses changed nothing, so only the steps before it are undone.
 *
 * @param what       the step as the error names it, e.g. {@code + route default via 203.0.113.1 (table main)}
 * @param operations the kernel operations it sends (the plan's count)
 * @param undo       returns how to undo the step, given the dataplane just before it runs
 * @param apply      makes the change; returns warnings (a refusal the kernel allows), usually none
 */
public record Action(String what, int operations, Function<Dataplane, Effect> undo, Effect apply) {

    /** A change to the dataplane; returns warnings, usually none. */
    @FunctionalInterface
    public interface Effect {
        List<String> run(Dataplane dp);
    }

    /** An undo that does nothing (the step had nothing to put back). */
    public static final Effect NOTHING = dp -> List.of();

    /** A step whose undo is known when it is planned. */
    public static Action of(String what, int operations, Effect apply, Effect undo) {
        return new Action(what, operations, dp -> undo, apply);
    }
}
