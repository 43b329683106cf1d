package dev.bulwark.control.engine;

import dev.bulwark.control.drift.DriftRecord;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's counters and timers, plain and lock-free, for a later registration with Micrometer (each maps to one
 * counter or timer). Written by the engine; {@link #snapshot()} may be read by any thread.
 */
public final class EngineMetrics {

    /** A timer: how many, how long in all, the longest, the last. */
    public static final class Timer {
        private final LongAdder count = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final AtomicLong maxNanos = new AtomicLong();
        private volatile long lastNanos;

        void record(long nanos) {
            count.increment();
            totalNanos.add(nanos);
            maxNanos.accumulateAndGet(nanos, Math::max);
            lastNanos = nanos;
        }

        public TimerSnapshot snapshot() {
            return new TimerSnapshot(count.sum(), Duration.ofNanos(totalNanos.sum()), Duration.ofNanos(maxNanos.get()), Duration.ofNanos(lastNanos));
        }
    }

    public record TimerSnapshot(long count, Duration total, Duration max, Duration last) {
    }

    final LongAdder commits = new LongAdder();
    final LongAdder commitsRefused = new LongAdder();
    final LongAdder commitsFailed = new LongAdder();
    final LongAdder rollbacks = new LongAdder();
    final LongAdder confirms = new LongAdder();
    final LongAdder confirmTimeouts = new LongAdder();
    final Timer partialReconcile = new Timer();
    final Timer fullReconcile = new Timer();
    final LongAdder reconcileFailures = new LongAdder();
    final LongAdder driftDetected = new LongAdder();
    final LongAdder driftRepaired = new LongAdder();
    final Map<DriftRecord.Trigger, LongAdder> checks = new EnumMap<>(DriftRecord.Trigger.class);
    final Map<CommitStage, Timer> commitStages = new EnumMap<>(CommitStage.class);

    /** The stages of a commit on the writer, each timed: where a slow commit spends its time. */
    public enum CommitStage {
        /** the anti-lockout walk of the management zones */
        LOCKOUT,
        /** config → desired state */
        COMPILE,
        /** diff against memory, plan, and the kernel's changes */
        APPLY,
        /** the revision written and synced to disk */
        STORE
    }

    EngineMetrics() {
        for (DriftRecord.Trigger t : DriftRecord.Trigger.values()) checks.put(t, new LongAdder());
        for (CommitStage s : CommitStage.values()) commitStages.put(s, new Timer());
    }

    /** The timer of one commit stage. */
    public TimerSnapshot commitStage(CommitStage stage) {
        return commitStages.get(stage).snapshot();
    }

    /**
     * All values at one moment (each read atomically; together nearly so).
     *
     * @param commits               commits and rollbacks the kernel accepted and the store recorded
     * @param commitsRefused        commits refused before the kernel was touched (anti-lockout, compile errors)
     * @param commitsFailed         commits the kernel refused, or whose revision could not be written (kernel restored)
     * @param rollbacks             operator rollbacks to a stored revision (also counted in commits)
     * @param confirms              commit-confirm windows confirmed
     * @param confirmTimeouts       windows that expired and were rolled back
     * @param partialReconcile      applies planned from memory (deltas)
     * @param fullReconcile         applies and checks that read the kernel back first (start, resync, after failures)
     * @param reconcileFailures     applies the kernel refused (rolled back)
     * @param driftDetected         checks that found the kernel differing from the committed config
     * @param driftRepaired         of those, the ones repaired
     * @param checks                full checks by what triggered them
     * @param notificationsSeen     kernel notifications read
     * @param notificationsRelevant of those, the ones about something of ours (each led to a check, debounced)
     */
    public record Snapshot(long commits, long commitsRefused, long commitsFailed, long rollbacks, long confirms, long confirmTimeouts,
                           TimerSnapshot partialReconcile, TimerSnapshot fullReconcile, long reconcileFailures, long driftDetected,
                           long driftRepaired, Map<DriftRecord.Trigger, Long> checks, long notificationsSeen, long notificationsRelevant) {
        public Snapshot {
            checks = Map.copyOf(checks);
        }

        public long checks(DriftRecord.Trigger t) {
            return checks.getOrDefault(t, 0L);
        }
    }

    Snapshot snapshot(long notificationsSeen, long notificationsRelevant) {
        Map<DriftRecord.Trigger, Long> c = new EnumMap<>(DriftRecord.Trigger.class);
        checks.forEach((t, n) -> c.put(t, n.sum()));
        return new Snapshot(commits.sum(), commitsRefused.sum(), commitsFailed.sum(), rollbacks.sum(), confirms.sum(), confirmTimeouts.sum(),
                partialReconcile.snapshot(), fullReconcile.snapshot(), reconcileFailures.sum(), driftDetected.sum(), driftRepaired.sum(), c,
                notificationsSeen, notificationsRelevant);
    }
}
