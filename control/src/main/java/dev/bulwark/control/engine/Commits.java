package dev.bulwark.control.engine;

import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.CompileException;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.control.lockout.AntiLockout;
import dev.bulwark.control.reconcile.Reconciler;
import dev.bulwark.control.revision.CommitConfirm;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.RevisionStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Commits, rollbacks and their checks, on the writer: the kernel first, then the revision (see {@link Engine}). A
 * commit is checked (anti-lockout, compile) before anything happens; a refusal ({@link CommitRefusedException})
 * writes nothing and sends nothing. Then it is applied all or nothing, and only when the kernel took it is the
 * revision written (durable, through {@link CommitConfirm}); should that write fail, the kernel is put back.
 */
final class Commits {

    private final RevisionStore store;
    private final CommitConfirm confirm;
    private final KernelSync kernel;
    private final EngineMetrics metrics;

    Commits(RevisionStore store, CommitConfirm confirm, KernelSync kernel, EngineMetrics metrics) {
        this.store = store;
        this.confirm = confirm;
        this.kernel = kernel;
        this.metrics = metrics;
    }

    /** The config last compiled and what it compiled to (configs are immutable: the same object compiles the same). */
    private record Compiled(Config config, DesiredState desired) {
    }

    private volatile Compiled last;

    /**
     * What a commit of {@code config} would be refused for before it reaches the kernel: the anti-lockout check, then
     * the compiler. Returns the compiled desired state; any thread.
     */
    DesiredState check(Config config) {
        List<Problem> problems = AntiLockout.check(running(), config);
        if (!problems.isEmpty()) throw new CommitRefusedException(CommitRefusedException.Reason.ANTI_LOCKOUT, problems);
        try {
            return desired(config);
        } catch (CompileException e) {
            throw new CommitRefusedException(CommitRefusedException.Reason.COMPILE, e.problems());
        }
    }

    /**
     * {@code config} compiled, once for a given config object: a CLI's check, plan and commit of one config compile it
     * once. Throws the {@link CompileException}; any thread.
     */
    DesiredState desired(Config config) {
        Compiled c = last;
        if (c != null && c.config() == config) return c.desired();
        DesiredState d = Compiler.compile(config);
        last = new Compiled(config, d);
        return d;
    }

    CommitResult commit(Config config, CommitMeta meta, Duration confirmWithin) throws IOException {
        long t0 = System.nanoTime();
        refuseLockout(config);
        long t1 = System.nanoTime();
        metrics.commitStages.get(EngineMetrics.CommitStage.LOCKOUT).record(t1 - t0);
        // The revision holds the canonical text of this config, which reads back equal to it (ConfigWriter's round
        // trip, a tested property): compiling the config itself is compiling what the revision holds, without
        // writing and reading 2.5 MB of YAML for a large config.
        DesiredState desired = compile(config);
        long t2 = System.nanoTime();
        metrics.commitStages.get(EngineMetrics.CommitStage.COMPILE).record(t2 - t1);
        if (confirmWithin != null) {
            if (confirmWithin.isNegative() || confirmWithin.isZero()) {
                throw new IllegalArgumentException("a confirm timeout must be positive, got " + confirmWithin);
            }
            if (confirm.pending().isEmpty() && store.latest().isEmpty()) {
                throw new IllegalStateException("a commit with a confirm timeout needs an earlier revision to return to; commit the first config without one");
            }
        }
        long t3 = System.nanoTime();
        Reconciler.Applied a = kernel.applyForCommit(desired);
        long t4 = System.nanoTime();
        metrics.commitStages.get(EngineMetrics.CommitStage.APPLY).record(t4 - t3);
        Revision r;
        try {
            r = confirmWithin == null ? confirm.commit(config, meta) : confirm.commit(config, meta, confirmWithin);
        } catch (IOException | RuntimeException e) {
            kernel.putBack(e);
            throw e;
        }
        metrics.commitStages.get(EngineMetrics.CommitStage.STORE).record(System.nanoTime() - t4);
        kernel.committed(r, desired, config);
        return new CommitResult(r, a.plan(), a.warnings(), confirm.pending().orElse(null));
    }

    CommitResult rollback(long id, CommitMeta meta) throws IOException {
        Revision target = store.get(id);
        Config config = target.config();
        refuseLockout(config);
        DesiredState desired = compileCached(target, config);
        Reconciler.Applied a = kernel.applyForCommit(desired);
        Revision r;
        try {
            r = confirm.rollback(id, meta);
        } catch (IOException | RuntimeException e) {
            kernel.putBack(e);
            throw e;
        }
        kernel.committed(r, desired, config);
        metrics.rollbacks.increment();
        return new CommitResult(r, a.plan(), a.warnings(), confirm.pending().orElse(null));
    }

    /** The newest revision, after checking it is the expected one (when one is expected). */
    Revision expect(Long expectedRevision) {
        Revision latest = store.latest().orElse(null);
        if (expectedRevision != null) {
            long actual = latest == null ? 0 : latest.id();
            if (actual != expectedRevision) throw new RevisionMismatchException(expectedRevision, latest == null ? null : actual);
        }
        return latest;
    }

    /** The running config (the newest revision's), or null before the first commit. */
    private Config running() {
        return kernel.running().map(Engine.Running::config).orElse(null);
    }

    private void refuseLockout(Config config) {
        List<Problem> problems = AntiLockout.check(running(), config);
        if (!problems.isEmpty()) {
            metrics.commitsRefused.increment();
            throw new CommitRefusedException(CommitRefusedException.Reason.ANTI_LOCKOUT, problems);
        }
    }

    private DesiredState compile(Config config) {
        try {
            return desired(config);
        } catch (CompileException e) {
            metrics.commitsRefused.increment();
            throw new CommitRefusedException(CommitRefusedException.Reason.COMPILE, e.problems());
        }
    }

    private DesiredState compileCached(Revision r, Config config) {
        try {
            return kernel.desiredOf(r);
        } catch (CompileException e) {
            metrics.commitsRefused.increment();
            throw new CommitRefusedException(CommitRefusedException.Reason.COMPILE, e.problems());
        }
    }
}
