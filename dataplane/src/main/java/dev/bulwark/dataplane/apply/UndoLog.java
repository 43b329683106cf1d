package dev.bulwark.dataplane.apply;

import dev.bulwark.dataplane.netlink.NetlinkSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Runs plan steps one at a time and records, before each change, how to undo it (principle 4: every non-nft step
 * records how to undo itself). When a step fails the log rolls back everything it holds, newest first, and throws
 * {@link ApplyException}: a failure midway restores the previous state. One log may span several {@link #apply}
 * calls (links, then addresses, then routes, on any sockets), so a later failure also undoes the earlier parts; call
 * {@link #rollback()} when something outside the log failed, and {@link #clear()} once the change is committed.
 *
 * <p>A step the kernel refused is not undone: each operation is one netlink request changing one thing, and a
 * refused request changed nothing (running its undo could even remove something that was not ours, e.g. deleting a
 * link whose creation failed because a foreign link of that name existed). Not thread-safe: control's one writer.
 */
public final class UndoLog {

    private record Entry(NetlinkSocket socket, Step step) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** Runs {@code steps} in order on {@code socket}; on a failure rolls back the whole log and throws. */
    public void apply(NetlinkSocket socket, List<Step> steps) {
        for (Step step : steps) {
            Entry e = new Entry(socket, step);
            entries.push(e);
            try {
                step.operation().apply(socket);
            } catch (RuntimeException failure) {
                entries.remove(e);
                List<Operation> undone = new ArrayList<>();
                List<RuntimeException> undoFailures = new ArrayList<>();
                rollback(undone, undoFailures);
                throw new ApplyException(step.operation(), failure, undone, undoFailures);
            }
        }
    }

    /**
     * Undoes everything recorded, newest step first, and empties the log. An undo operation that fails does not stop
     * the others; the failures are returned (empty when the previous state is fully restored).
     */
    public List<RuntimeException> rollback() {
        List<RuntimeException> failures = new ArrayList<>();
        rollback(new ArrayList<>(), failures);
        return failures;
    }

    private void rollback(List<Operation> undone, List<RuntimeException> failures) {
        while (!entries.isEmpty()) {
            Entry e = entries.pop();
            for (Operation op : e.step().undo()) {
                undone.add(op);
                try {
                    op.apply(e.socket());
                } catch (RuntimeException f) {
                    failures.add(f);
                }
            }
        }
    }

    /** Forgets the recorded undo steps: the change is kept. */
    public void clear() {
        entries.clear();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The undo operations a rollback would run now, in that order. */
    public List<Operation> pending() {
        List<Operation> out = new ArrayList<>();
        for (Entry e : entries) out.addAll(e.step().undo());
        return out;
    }
}
