package dev.bulwark.control.revision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scheduler driven by a {@link TestClock}: tasks run when the test advances the clock past their due time (in due
 * order), on the test's thread. Nothing waits.
 */
final class ManualScheduler implements ConfirmTimer.Scheduler {
    private final TestClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private long seq;

    private final class Task implements ConfirmTimer.Cancellable {
        final Instant due;
        final long order;
        final Runnable run;
        boolean cancelled;

        Task(Instant due, long order, Runnable run) {
            this.due = due;
            this.order = order;
            this.run = run;
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    ManualScheduler(TestClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ConfirmTimer.Cancellable schedule(Runnable task, Duration delay) {
        Task t = new Task(clock.instant().plus(delay), seq++, task);
        tasks.add(t);
        return t;
    }

    /** Moves the clock forward and runs every task that comes due on the way, each at its own time. */
    void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due.isAfter(end))
                        .min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) break;
                tasks.remove(next);
            }
            if (next.due.isAfter(clock.instant())) clock.set(next.due);
            next.run.run();
        }
        clock.set(end);
    }

    /** Runs what is due now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    synchronized int scheduled() {
        return tasks.size();
    }
}
