package dev.bulwark.control.revision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CommitConfirm#expireIfDue()} at the deadline of the open window. {@link #start()} arms it from the
 * persisted window, so a window opened before a restart expires on time, or at once when its deadline passed while the
 * daemon was down. The timer follows every change of the window (a new commit, a confirm) through a listener.
 *
 * <p>The deadline is wall-clock time ({@link Clock}); the delay is handed to a {@link Scheduler}. When the scheduler
 * fires before the clock reaches the deadline (the clock was set back), the timer re-arms; when the expiry fails (an
 * I/O error), it retries after {@link #RETRY}. Tests inject a manual clock and scheduler and run without waiting.
 */
public final class ConfirmTimer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConfirmTimer.class.getName());

    static final Duration RETRY = Duration.ofSeconds(5);

    /** A handle to cancel a scheduled task. */
    @FunctionalInterface
    public interface Cancellable {
        void cancel();
    }

    /** Runs a task once after a delay. */
    @FunctionalInterface
    public interface Scheduler {
        Cancellable schedule(Runnable task, Duration delay);

        static Scheduler of(ScheduledExecutorService executor) {
            return (task, delay) -> {
                ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            };
        }
    }

    private final CommitConfirm confirm;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Runnable listener = this::rearm;
    private Cancellable armed;
    private boolean started;
    private boolean closed;

    public ConfirmTimer(CommitConfirm confirm, Scheduler scheduler, Clock clock) {
        this.confirm = confirm;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Arms the timer from the persisted window and follows its changes. */
    public synchronized void start() {
        if (started) return;
        started = true;
        confirm.addListener(listener);
        rearm();
    }

    /** When the timer is armed for, if it is. */
    public Optional<Instant> deadline() {
        return confirm.pending().map(PendingConfirm::deadline);
    }

    private synchronized void rearm() {
        if (closed || !started) return;
        if (armed != null) armed.cancel();
        armed = null;
        Optional<PendingConfirm> p = confirm.pending();
        if (p.isEmpty()) return;
        Duration d = Duration.between(clock.instant(), p.get().deadline());
        armed = scheduler.schedule(this::fire, d.isNegative() ? Duration.ZERO : d);
    }

    private void fire() {
        try {
            confirm.expireIfDue();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "commit-confirm expiry failed; retrying in " + RETRY, e);
            synchronized (this) {
                if (closed) return;
                if (armed != null) armed.cancel();
                armed = scheduler.schedule(this::fire, RETRY);
            }
            return;
        }
        rearm(); // still open when the clock had not reached the deadline yet
    }

    @Override
    public synchronized void close() {
        closed = true;
        confirm.removeListener(listener);
        if (armed != null) armed.cancel();
        armed = null;
    }
}
