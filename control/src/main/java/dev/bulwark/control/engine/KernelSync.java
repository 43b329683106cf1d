package dev.bulwark.control.engine;

import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.control.drift.DriftLog;
import dev.bulwark.control.drift.DriftRecord;
import dev.bulwark.control.reconcile.Change;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.Reconciler;
import dev.bulwark.control.engine.Engine.Outcome;
import dev.bulwark.control.revision.CorruptRevisionException;
import dev.bulwark.control.revision.PendingConfirm;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.RevisionStore;
import dev.bulwark.dataplane.port.Dataplane;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The engine's kernel side, on the writer: the {@link Reconciler} of the managed namespace and what the writer knows
 * about it — the revision the kernel was last brought to, the desired state the kernel is expected to hold (which the
 * drift watcher compares notifications with), the compiled desired state of the newest revision (compiled once), and
 * the last reconcile and failure. It brings the kernel to a revision ({@link #catchUp}), checks and repairs it
 * ({@link #resync}), and publishes immutable snapshots (the reconciler's {@link Reconciler.Memory}, the running
 * config) for readers on other threads.
 */
final class KernelSync {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    private final Dataplane dp;
    private final Reconciler reconciler;
    private final RevisionStore store;
    private final EngineMetrics metrics;
    private final DriftLog driftLog;
    private final Clock clock;

    // writer state; the volatile ones are also read by other threads
    private volatile Revision applied;
    private DesiredState appliedDesired;
    private String cachedSha;
    private DesiredState cachedDesired;
    private volatile DesiredState expected;
    private volatile Reconciler.Memory memory;
    private volatile Instant lastReconcile;
    private volatile String lastError;
    private volatile Engine.Running running;

    KernelSync(Dataplane dp, RevisionStore store, EngineMetrics metrics, DriftLog driftLog, Clock clock) {
        this.dp = dp;
        this.reconciler = new Reconciler(dp);
        this.store = store;
        this.metrics = metrics;
        this.driftLog = driftLog;
        this.clock = clock;
        this.memory = reconciler.memory();
    }

    // ---- read by any thread

    Revision applied() {
        return applied;
    }

    /** The desired state the kernel is expected to hold now (the drift watcher's reference), or null. */
    DesiredState expected() {
        return expected;
    }

    Reconciler.Memory memory() {
        return memory;
    }

    Instant lastReconcile() {
        return lastReconcile;
    }

    String lastError() {
        return lastError;
    }

    Optional<Engine.Running> running() {
        return Optional.ofNullable(running);
    }

    String where() {
        return dp.where();
    }

    // ---- on the writer

    /** The newest revision becomes the running config (also when the kernel refused it: its tokens let an operator in). */
    void publishNewest() {
        try {
            Revision newest = store.latest().orElse(null);
            if (newest != null && (running == null || running.revision().id() != newest.id())) running = new Engine.Running(newest, newest.config());
        } catch (RuntimeException e) {
            fail("read the newest revision", e);
        }
    }

    /** What applying {@code desired} would change, reading the kernel for what is not known. */
    Plan plan(DesiredState desired) {
        try {
            return reconciler.plan(desired);
        } finally {
            publish();
        }
    }

    /** What differs between the kernel, read back now, and the committed state; the read refreshes the memory. */
    Plan differences() {
        DesiredState d = expected;
        if (d == null) return Plan.empty(List.of());
        try {
            return reconciler.check(d);
        } finally {
            publish();
        }
    }

    /** Brings the kernel to the latest revision with a full read. */
    Outcome catchUp(DriftRecord.Trigger trigger) {
        Revision latest;
        try {
            latest = store.latest().orElse(null);
        } catch (CorruptRevisionException e) {
            fail(trigger.name().toLowerCase(Locale.ROOT) + " reconcile", e);
            return Outcome.REPAIR_FAILED;
        }
        if (latest == null) return Outcome.NOTHING_COMMITTED;
        try {
            DesiredState d = desiredOf(latest);
            expected = d;
            reconciler.forget();
            apply(d);
            applied = latest;
            appliedDesired = d;
            lastError = null;
            driftLog.clearOutstanding();
            return Outcome.CAUGHT_UP;
        } catch (RuntimeException e) {
            fail(trigger.name().toLowerCase(Locale.ROOT) + " reconcile to revision " + latest.id(), e);
            return Outcome.REPAIR_FAILED;
        }
    }

    /** Applies a commit's desired state; on a refusal the kernel is restored (by the reconciler) and nothing recorded. */
    Reconciler.Applied applyForCommit(DesiredState desired) {
        DesiredState before = expected;
        expected = desired; // our own changes then look right to the watcher, whatever their port
        try {
            return apply(desired);
        } catch (RuntimeException e) {
            expected = before;
            metrics.commitsFailed.increment();
            throw e;
        }
    }

    /** The kernel took a config whose revision could not be written: back to the revision it had. */
    void putBack(Exception failure) {
        metrics.commitsFailed.increment();
        expected = appliedDesired;
        if (appliedDesired == null) {
            LOG.log(System.Logger.Level.ERROR, "the first revision could not be written after the kernel took its config; the kernel keeps "
                    + "it until the next commit", failure);
            return;
        }
        try {
            apply(appliedDesired);
        } catch (RuntimeException undo) {
            failure.addSuppressed(undo);
            fail("put the kernel back to revision " + applied.id() + " after a failed commit", undo);
        }
    }

    /** A commit or rollback is in the kernel and in the store. */
    void committed(Revision r, DesiredState desired, Config config) {
        running = new Engine.Running(r, config);
        applied = r;
        appliedDesired = desired;
        expected = desired;
        cachedSha = r.sha256();
        cachedDesired = desired;
        lastError = null;
        driftLog.clearOutstanding();
        metrics.commits.increment();
    }

    /** The confirm window ended: its rollback revision is recorded; bring the kernel there. */
    void rolledBack(Revision rollback, PendingConfirm expired) {
        metrics.confirmTimeouts.increment();
        running = new Engine.Running(rollback, rollback.config());
        DesiredState d = desiredOf(rollback);
        expected = d;
        try {
            apply(d);
        } catch (RuntimeException e) {
            fail("apply rollback revision " + rollback.id() + " after the confirm window of revision " + expired.revision() + " ended", e);
            throw e;
        }
        applied = rollback;
        appliedDesired = d;
        lastError = null;
    }

    /** The desired state of a stored revision, compiled once per revision. */
    DesiredState desiredOf(Revision r) {
        if (r.sha256().equals(cachedSha)) return cachedDesired;
        Engine.Running run = running;
        // the running config is the revision's, already read: parsing the stored text again costs a YAML read
        DesiredState d = Compiler.compile(run != null && run.revision().id() == r.id() ? run.config() : r.config());
        cachedSha = r.sha256();
        cachedDesired = d;
        return d;
    }

    /**
     * A full check: reads everything back, diffs with the latest revision, records drift and (with {@code repair})
     * repairs it. When the kernel does not hold the latest revision yet, brings it there instead.
     */
    Engine.ResyncResult resync(DriftRecord.Trigger trigger, List<String> reasons, boolean repair) {
        metrics.checks.get(trigger).increment();
        Revision latest;
        try {
            latest = store.latest().orElse(null);
        } catch (CorruptRevisionException e) {
            fail("resync", e);
            throw e;
        }
        if (latest == null) return new Engine.ResyncResult(Outcome.NOTHING_COMMITTED, Plan.empty(List.of()), null);
        if (applied == null || applied.id() != latest.id()) {
            Outcome o = catchUp(trigger);
            if (o == Outcome.REPAIR_FAILED) throw new IllegalStateException(lastError);
            return new Engine.ResyncResult(o, Plan.empty(List.of()), null);
        }
        DesiredState d = appliedDesired;
        expected = d;
        long t0 = System.nanoTime();
        Plan diff;
        try {
            diff = reconciler.check(d);
        } catch (RuntimeException e) {
            metrics.reconcileFailures.increment();
            fail("read the kernel back", e);
            throw e;
        } finally {
            publish();
        }
        if (diff.isEmpty()) {
            metrics.fullReconcile.record(System.nanoTime() - t0);
            lastReconcile = clock.instant();
            lastError = null;
            driftLog.clearOutstanding();
            return new Engine.ResyncResult(Outcome.IN_SYNC, diff, null);
        }
        metrics.driftDetected.increment();
        Instant found = clock.instant();
        List<String> lines = diff.changes().stream().map(Change::toString).toList();
        if (!repair) {
            Optional<DriftRecord> standing = driftLog.outstanding();
            DriftRecord rec = standing.isPresent() && standing.get().differences().equals(lines) && standing.get().revision() == latest.id()
                    ? standing.get() // the same drift, found again: recorded once
                    : driftLog.add(found, trigger, latest.id(), reasons, lines, false, "report only");
            if (rec != standing.orElse(null)) LOG.log(System.Logger.Level.WARNING, "drift (not repaired, report only): " + rec);
            return new Engine.ResyncResult(Outcome.REPORTED, diff, rec);
        }
        try {
            reconciler.apply(d); // plans from the read just made: exactly the difference
            metrics.fullReconcile.record(System.nanoTime() - t0);
            metrics.driftRepaired.increment();
            lastReconcile = clock.instant();
            lastError = null;
            DriftRecord rec = driftLog.add(found, trigger, latest.id(), reasons, lines, true, null);
            LOG.log(System.Logger.Level.WARNING, "drift repaired: " + rec);
            return new Engine.ResyncResult(Outcome.REPAIRED, diff, rec);
        } catch (RuntimeException e) {
            metrics.reconcileFailures.increment();
            fail("repair drift", e);
            DriftRecord rec = driftLog.add(found, trigger, latest.id(), reasons, lines, false, e.getMessage());
            return new Engine.ResyncResult(Outcome.REPAIR_FAILED, diff, rec);
        } finally {
            publish();
        }
    }

    /** One reconcile, timed as partial (planned from memory) or full (read back first). */
    private Reconciler.Applied apply(DesiredState desired) {
        boolean full = !reconciler.knowsLiveState();
        long t0 = System.nanoTime();
        try {
            Reconciler.Applied a = reconciler.apply(desired);
            (full ? metrics.fullReconcile : metrics.partialReconcile).record(System.nanoTime() - t0);
            lastReconcile = clock.instant();
            return a;
        } catch (RuntimeException e) {
            metrics.reconcileFailures.increment();
            throw e;
        } finally {
            publish();
        }
    }

    /** Records a failure of the writer's own work in status, and logs it. */
    void fail(String what, Exception e) {
        lastError = what + " failed: " + e.getMessage();
        LOG.log(System.Logger.Level.ERROR, lastError, e);
    }

    private void publish() {
        memory = reconciler.memory();
    }
}
