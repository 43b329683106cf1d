package dev.bulwark.control.engine;

import dev.bulwark.control.drift.DriftMode;
import dev.bulwark.control.drift.DriftRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When the kernel is checked for drift: a debounced check {@code debounce} after a notification about something of
 * ours that we did not make (a burst costs one check), and a full resync every {@code interval} (a backstop for
 * whatever notifications cannot show). Both only hand the check to the writer ({@link KernelSync#resync}); in
 * {@link DriftMode#REPAIR} the check repairs what differs, else it only records it.
 */
final class DriftLoop {

    private final ScheduledExecutorService timers;
    private final Writer writer;
    private final KernelSync kernel;
    private final Duration debounce;
    private final DriftMode mode;
    private final AtomicBoolean checkScheduled = new AtomicBoolean();
    private final AtomicBoolean timerResyncQueued = new AtomicBoolean();
    private final List<String> reasons = new ArrayList<>();
    private int droppedReasons;
    private ScheduledFuture<?> resyncTask;

    DriftLoop(ScheduledExecutorService timers, Writer writer, KernelSync kernel, Duration debounce, DriftMode mode) {
        this.timers = timers;
        this.writer = writer;
        this.kernel = kernel;
        this.debounce = debounce;
        this.mode = mode;
    }

    /** Starts the resync timer. */
    void start(Duration interval) {
        long every = interval.toNanos();
        resyncTask = timers.scheduleWithFixedDelay(this::queueTimerResync, every, every, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (resyncTask != null) resyncTask.cancel(false);
    }

    /** From the watcher's thread: something of ours may have changed. The check runs {@code debounce} later. */
    void onDrift(String reason) {
        synchronized (reasons) {
            if (reasons.size() < 20) reasons.add(reason);
            else droppedReasons++;
        }
        if (checkScheduled.compareAndSet(false, true)) {
            try {
                timers.schedule(() -> writer.execute(this::notificationCheck), debounce.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                checkScheduled.set(false);
            }
        }
    }

    private void notificationCheck() {
        checkScheduled.set(false); // what arrives from now on schedules another check
        List<String> why;
        synchronized (reasons) {
            why = new ArrayList<>(reasons);
            if (droppedReasons > 0) why.add("... and " + droppedReasons + " more");
            reasons.clear();
            droppedReasons = 0;
        }
        kernel.resync(DriftRecord.Trigger.NOTIFICATION, why, mode == DriftMode.REPAIR);
    }

    private void queueTimerResync() {
        if (timerResyncQueued.compareAndSet(false, true)) {
            writer.execute(() -> {
                timerResyncQueued.set(false);
                kernel.resync(DriftRecord.Trigger.TIMER, List.of(), mode == DriftMode.REPAIR);
            });
        }
    }
}
