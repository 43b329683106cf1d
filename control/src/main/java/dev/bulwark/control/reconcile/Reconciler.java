package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.port.Dataplane;

import dev.bulwark.control.compile.DesiredState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one network namespace equal to a {@link DesiredState}: the only writer (principle 7); not thread-safe, one
 * instance per namespace, driven by control's single writer thread.
 *
 * <p>It remembers what each subsystem's live state is after its last apply (principle 2): {@link #plan} diffs the
 * desired state against that memory, and against the kernel (read back) for whatever it does not know: at start,
 * after any failure, and after {@link #forget()}. A reconcile whose desired state equals the last applied one, with
 * everything known, sends nothing and reads nothing.
 *
 * <p>{@link #apply} is all or nothing across subsystems (principle 4), in the order of {@link Subsystems#STANDARD}.
 * Each step records its
 * undo before it runs; when a step fails, every step already done is undone, newest first, including the nft batch
 * (its previous table applied back in one batch), and a {@link ReconcileException} says which step failed, why, and
 * whether the previous state is restored. After any failure all memory is dropped: the next reconcile is a full
 * resync.
 */
public final class Reconciler {

    private final Dataplane dp;
    private final List<Subsystem<?, ?>> subsystems;
    private final Map<Subsystem<?, ?>, Object> known = new HashMap<>();
    private DesiredState lastApplied;
    private List<String> lastWarnings = List.of();
    /** Whether {@link #known} is the state {@link #lastApplied} left (false after a read that may have found drift). */
    private boolean inSync;

    public Reconciler(Dataplane dp) {
        this(dp, Subsystems.STANDARD);
    }

    public Reconciler(Dataplane dp, List<Subsystem<?, ?>> subsystems) {
        this.dp = dp;
        this.subsystems = List.copyOf(subsystems);
    }

    /** What {@link #apply} did: the plan it carried out and the warnings (plan's and apply's). */
    public record Applied(Plan plan, List<String> warnings) {
        public Applied {
            warnings = List.copyOf(warnings);
        }

        /** Whether anything was changed. */
        public boolean changed() {
            return !plan.isEmpty();
        }
    }

    /** The changes {@link #apply} would make now; reads the kernel for what is not known. Changes nothing. */
    public Plan plan(DesiredState desired) {
        return prepare(desired).plan();
    }

    /**
     * Brings the kernel to {@code desired}, all or nothing. Throws {@link ReconcileException} after rolling back
     * when a step fails; planning errors (a device the config names does not exist) throw before anything changes.
     */
    public Applied apply(DesiredState desired) {
        Prepared p = prepare(desired);
        if (p.plan().isEmpty()) {
            lastApplied = desired;
            lastWarnings = p.plan().warnings();
            inSync = true;
            return new Applied(p.plan(), p.plan().warnings());
        }
        List<String> warnings = new ArrayList<>(p.plan().warnings());
        int steps = p.parts().stream().mapToInt(x -> x.part().actions().size()).sum();
        record Done(String subsystem, String what, Action.Effect undo) {
        }
        Deque<Done> journal = new ArrayDeque<>();
        int step = 0;
        for (Planned x : p.parts()) {
            for (Action a : x.part().actions()) {
                step++;
                try {
                    Action.Effect undo = a.undo().apply(dp);
                    journal.push(new Done(x.subsystem().name(), a.what(), undo));
                    try {
                        warnings.addAll(a.apply().run(dp));
                    } catch (RuntimeException refused) {
                        journal.pop(); // a refused step changed nothing
                        throw refused;
                    }
                } catch (RuntimeException failure) {
                    Set<String> undoneSubsystems = new LinkedHashSet<>();
                    List<RuntimeException> undoFailures = new ArrayList<>();
                    int undone = journal.size();
                    while (!journal.isEmpty()) {
                        Done d = journal.pop();
                        undoneSubsystems.add(d.subsystem());
                        try {
                            d.undo().run(dp);
                        } catch (RuntimeException f) {
                            undoFailures.add(new IllegalStateException("undo of " + d.subsystem() + " " + d.what() + ": " + f.getMessage(), f));
                        }
                    }
                    forget();
                    throw new ReconcileException(x.subsystem().name(), a.what(), step, steps, failure, undone,
                            List.copyOf(undoneSubsystems), undoFailures);
                }
            }
        }
        for (Planned x : p.parts()) after(x, desired);
        lastApplied = desired;
        lastWarnings = p.plan().warnings();
        inSync = true;
        return new Applied(p.plan(), warnings);
    }

    /** Reads everything back, diffs, repairs: {@link #forget()} then {@link #apply}. */
    public Applied resync(DesiredState desired) {
        forget();
        return apply(desired);
    }

    /**
     * What differs between the kernel, read back now, and {@code desired}: empty when the kernel matches. The
     * read becomes the memory, so a following {@link #apply} of {@code desired} repairs exactly this difference without
     * reading again.
     */
    public Plan check(DesiredState desired) {
        forget();
        return plan(desired);
    }

    /** Drops what is known of the live state: the next reconcile reads everything back. */
    public void forget() {
        known.clear();
        inSync = false;
    }

    /** The desired state last applied successfully, or null. */
    public DesiredState lastApplied() {
        return lastApplied;
    }

    /** Whether everything about the live state is known (the next plan reads nothing). */
    public boolean knowsLiveState() {
        return subsystems.stream().allMatch(known::containsKey);
    }

    // ---- planning

    private record Planned(Subsystem<?, ?> subsystem, Subsystem.Part part) {
    }

    private record Prepared(Plan plan, List<Planned> parts) {
    }

    private Prepared prepare(DesiredState desired) {
        if (inSync && knowsLiveState() && desired.equals(lastApplied)) return new Prepared(Plan.empty(lastWarnings), List.of());
        List<Planned> parts = new ArrayList<>();
        List<Plan.Section> sections = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Subsystem<?, ?> s : subsystems) {
            Subsystem.Part part = planOne(s, desired);
            parts.add(new Planned(s, part));
            if (part.section() != null) sections.add(part.section());
            warnings.addAll(part.warnings());
        }
        return new Prepared(new Plan(sections, warnings), parts);
    }

    /**
     * What this reconciler knows now, as an immutable value that any thread may plan against ({@link Memory#plan})
     * while the writer goes on: the API answers "what would this config change" from it without the writer.
     */
    public Memory memory() {
        return new Memory(subsystems, Map.copyOf(known), lastApplied, inSync, lastWarnings, dp.where());
    }

    /**
     * A snapshot of a reconciler's memory: the live state of each subsystem as last read or applied, and the desired
     * state last applied. Immutable; {@link #plan} reads nothing.
     */
    public static final class Memory {
        private final List<Subsystem<?, ?>> subsystems;
        private final Map<Subsystem<?, ?>, Object> known;
        private final DesiredState lastApplied;
        private final boolean inSync;
        private final List<String> lastWarnings;
        private final String where;

        private Memory(List<Subsystem<?, ?>> subsystems, Map<Subsystem<?, ?>, Object> known, DesiredState lastApplied,
                       boolean inSync, List<String> lastWarnings, String where) {
            this.subsystems = subsystems;
            this.known = known;
            this.lastApplied = lastApplied;
            this.inSync = inSync;
            this.lastWarnings = lastWarnings;
            this.where = where;
        }

        /** The desired state last applied successfully, or null. */
        public DesiredState lastApplied() {
            return lastApplied;
        }

        /** Whether every subsystem's live state is known. */
        public boolean complete() {
            return subsystems.stream().allMatch(known::containsKey);
        }

        /**
         * The plan an apply of {@code desired} would carry out now, computed from memory alone; empty when memory
         * does not cover it (after a failure, before the first reconcile, or for sysctl keys never read): then only
         * the writer can plan, reading the kernel.
         */
        public java.util.Optional<Plan> plan(DesiredState desired) {
            if (!complete()) return java.util.Optional.empty();
            if (inSync && desired.equals(lastApplied)) return java.util.Optional.of(Plan.empty(lastWarnings));
            List<Plan.Section> sections = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (Subsystem<?, ?> s : subsystems) {
                Subsystem.Part part = planFrom(s, known.get(s), desired, lastApplied, where);
                if (part == null) return java.util.Optional.empty();
                if (part.section() != null) sections.add(part.section());
                warnings.addAll(part.warnings());
            }
            return java.util.Optional.of(new Plan(sections, warnings));
        }

        @SuppressWarnings("unchecked")
        private static <D, L> Subsystem.Part planFrom(Subsystem<D, L> s, Object knownLive, DesiredState desired, DesiredState lastApplied, String where) {
            D want = s.desired(desired);
            L k = (L) knownLive;
            if (!s.covers(k, want)) return null;
            return s.plan(k, want, lastApplied == null ? null : s.desired(lastApplied), where);
        }
    }

    @SuppressWarnings("unchecked")
    private <D, L> Subsystem.Part planOne(Subsystem<D, L> s, DesiredState desired) {
        D want = s.desired(desired);
        D previous = lastApplied == null ? null : s.desired(lastApplied);
        L k = (L) known.get(s);
        if (k == null || !s.covers(k, want)) {
            k = s.read(dp, want, previous);
            known.put(s, k);
        }
        return s.plan(k, want, previous, dp.where());
    }

    @SuppressWarnings("unchecked")
    private <D, L> void after(Planned x, DesiredState desired) {
        Subsystem<D, L> s = (Subsystem<D, L>) x.subsystem();
        L before = (L) known.get(s);
        L now;
        try {
            now = s.after(dp, before, s.desired(desired), x.part());
        } catch (RuntimeException cannotTell) {
            now = null; // the change is made; what it looks like is read at the next reconcile
        }
        if (now == null) known.remove(s);
        else known.put(s, now);
    }
}
