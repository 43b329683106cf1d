package dev.bulwark.control.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.Format;
import dev.bulwark.config.InvalidConfigException;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.MergePatch;
import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.control.conntrack.ConntrackFilter;
import dev.bulwark.control.conntrack.ConntrackTable;
import dev.bulwark.control.drift.DriftLog;
import dev.bulwark.control.drift.DriftMode;
import dev.bulwark.control.drift.DriftRecord;
import dev.bulwark.control.drift.DriftWatcher;
import dev.bulwark.control.lockout.AntiLockout;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.revision.CommitConfirm;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.ConfirmTimer;
import dev.bulwark.control.revision.CorruptRevisionException;
import dev.bulwark.control.revision.PendingConfirm;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.RevisionStore;
import dev.bulwark.control.revision.Source;
import dev.bulwark.dataplane.port.Dataplane;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The control plane: the only way to change the kernel, for the daemon and the CLI alike. Every kernel change and
 * every commit goes through one {@link Writer} (principle 7), a platform thread named {@code bulwark-writer}. The work
 * is split by responsibility: {@link Commits} (commit, rollback, confirm and their checks), {@link KernelSync} (the
 * reconciler and what the writer knows of the kernel: catch-up, resync, drift repair), {@link DriftLoop} (when to
 * check: notifications and the resync timer) and {@link LiveViews} (live state and counters); this class wires them
 * and is their one public face. Public methods that change something
 * return {@link CompletableFuture}s at once and never block the caller on kernel or disk work; the futures complete
 * on the common pool, never on the writer, so a caller's continuation cannot stall it. Read-only queries
 * ({@link #latest()}, {@link #pending()}, {@link #planFromMemory}, {@link #drift()}, {@link #metrics()},
 * {@link #status()}) answer from immutable snapshots the writer publishes, without the writer.
 *
 * <h2>Commit: the kernel first, then the revision</h2>
 * A commit is checked (anti-lockout, compile) before anything happens; a refusal ({@link CommitRefusedException})
 * writes nothing and sends nothing. Then the config is applied to the kernel, all or nothing
 * ({@link Reconciler#apply}); only when the kernel accepted it is the revision written (through
 * {@link CommitConfirm}, durable before the future completes). So a config the kernel refused never becomes a
 * revision, and the future never reports success for it. Should writing the revision fail after the kernel took the
 * config, the kernel is put back to the revision it had. A crash between the apply and the write leaves the kernel
 * ahead of the store with nothing acknowledged; the startup reconcile puts it back to the latest revision. The store
 * thus only ever holds configs the kernel accepted, and every acknowledged one survives (the revision store's own
 * guarantee). The one path that writes first is a commit-confirm expiry ({@link CommitConfirm#expireIfDue}): it
 * records the rollback revision, then applies it; should the kernel refuse a config it accepted before, the
 * resync timer keeps trying, and {@link #status()} says so.
 *
 * <h2>Timers</h2>
 * One scheduler thread ({@code bulwark-timers}) only ever hands work to the writer: the confirm deadline
 * ({@link ConfirmTimer}; the expiry and its reconcile run on the writer), the full resync every
 * {@link EngineOptions#resyncInterval()}, and the debounced drift check.
 *
 * <h2>Drift</h2>
 * A {@link DriftWatcher} reads the kernel's nftables and rtnetlink notifications on its own thread; a change to
 * something of ours that we did not make schedules a check on the writer {@link EngineOptions#debounce()} later (a
 * burst costs one check). A check reads everything back and diffs it with the committed state; what differs is
 * recorded ({@link #drift()}) and, in {@link DriftMode#REPAIR}, repaired. The resync timer runs the same check, a
 * backstop for whatever notifications cannot show.
 *
 * <h2>Standalone</h2>
 * {@link #open} is the CLI's engine ({@code bulwark plan} and {@code bulwark apply}): the same store (and its lock, so
 * never beside a daemon), the same checks and the same commit path, but no startup reconcile, no timers and no
 * notifications; it refuses commit-confirm, which needs a process that outlives the window to roll back.
 *
 * <h2>Start and stop</h2>
 * {@link #start} opens the store (taking its lock), the kernel and its notifications, then on the writer: on a first
 * start commits the initial config file (source cli), else rolls back a confirm window whose deadline passed while
 * down, reconciles the kernel to the latest revision (a full read; failures are recorded in {@link #status()} and
 * retried by the resync timer, so the API can come up and take a fix), and arms the confirm timer for a window still
 * open. {@link #close} stops the timers and the watcher, lets queued work finish, and closes the kernel and the store;
 * the kernel keeps the committed state.
 */
public final class Engine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a resync did. */
    public enum Outcome {
        /** Nothing is committed yet: nothing is ours. */
        NOTHING_COMMITTED,
        /** The kernel matched the committed state. */
        IN_SYNC,
        /** The kernel did not hold the latest revision yet (a failed start or expiry before); it does now. */
        CAUGHT_UP,
        /** Drift found and repaired. */
        REPAIRED,
        /** Drift found and recorded, not repaired (report-only mode). */
        REPORTED,
        /** Drift found; the repair failed (the kernel is as it was found). */
        REPAIR_FAILED
    }

    /**
     * The result of a resync.
     *
     * @param outcome     what happened
     * @param differences what differed from the committed state (empty when nothing did)
     * @param drift       the drift record made, or null
     */
    public record ResyncResult(Outcome outcome, Plan differences, DriftRecord drift) {
    }

    /**
     * The engine's state at a glance.
     *
     * @param applied       the revision the kernel was last brought to, or null
     * @param latest        the newest revision in the store, or null
     * @param lastReconcile when the kernel was last reconciled or checked successfully, or null
     * @param lastError     the last failure of a start, expiry or resync (null once one succeeds again)
     * @param driftMode     repair or report
     * @param watching      whether kernel notifications are read
     * @param drift         unrepaired drift that stands now, or null
     */
    public record Status(Revision applied, Revision latest, Instant lastReconcile, String lastError, DriftMode driftMode,
                         boolean watching, DriftRecord drift) {
        /** Whether the kernel holds the latest revision and nothing stands against it. */
        public boolean converged() {
            return lastError == null && drift == null && (latest == null || (applied != null && applied.id() == latest.id()));
        }
    }

    /**
     * The newest revision with its config, parsed once by the writer: what the API serves as the running config and
     * checks tokens against, without parsing on its threads.
     */
    public record Running(Revision revision, Config config) {
    }

    /**
     * What committing a config would do, for review: the kernel changes, the config changes against the running
     * revision, and the anti-lockout problems (a commit would be refused while there are any).
     *
     * @param base    the running revision the changes are against, or null when nothing is committed
     * @param plan    the kernel changes
     * @param changes the config changes, section by section
     * @param lockout what the anti-lockout check finds
     */
    public record Preview(Long base, Plan plan, List<ConfigDiff.Change> changes, List<Problem> lockout) {
        public Preview {
            changes = List.copyOf(changes);
            lockout = List.copyOf(lockout);
        }
    }

    /**
     * A merge patch committed.
     *
     * @param commit         the commit
     * @param configWarnings what the validator warned about in the patched config (pointers only: positions would point
     *                       into a merged document the client never saw)
     */
    public record Patched(CommitResult commit, List<Problem> configWarnings) {
        public Patched {
            configWarnings = List.copyOf(configWarnings);
        }
    }

    private final EngineOptions options;
    private final boolean standalone;
    private final Writer writer = new Writer();
    private final ScheduledThreadPoolExecutor timers;
    private final RevisionStore store;
    private final CommitConfirm confirm;
    private final ConfirmTimer confirmTimer;
    private final Dataplane dp;
    private final KernelSync kernel;
    private final Commits commits;
    private final DriftLoop driftLoop;
    private final LiveViews live;
    private final ConntrackTable conntrack;
    private final DriftWatcher watcher;
    private final DriftLog driftLog = new DriftLog();
    private final EngineMetrics metrics = new EngineMetrics();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile PendingConfirm pendingView;

    private Engine(EngineOptions options, RevisionStore store, boolean standalone) throws IOException {
        this.options = options;
        this.store = store;
        this.standalone = standalone;
        this.timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("bulwark-timers").factory());
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Dataplane d = null;
        DriftWatcher w = null;
        KernelSync k;
        try {
            d = options.dataplane().get();
            k = new KernelSync(d, store, metrics, driftLog, options.clock());
            this.confirm = CommitConfirm.open(store, options.clock(), k::rolledBack);
            this.pendingView = confirm.pending().orElse(null);
            confirm.addListener(() -> pendingView = confirm.pending().orElse(null));
            this.confirmTimer = new ConfirmTimer(confirm, (task, delay) -> {
                ScheduledFuture<?> f = timers.schedule(() -> writer.execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }, options.clock());
            this.driftLoop = new DriftLoop(timers, writer, k, options.debounce(), options.driftMode());
            if (options.monitor() != null && !standalone) {
                // subscribed before the startup reconcile reads the kernel: nothing falls between the read and the watch
                var ourPorts = d.netlinkPorts();
                w = new DriftWatcher(options.monitor().get(), k::expected, () -> ourPorts, driftLoop::onDrift);
            }
            this.conntrack = options.conntrack() == null ? null : options.conntrack().apply(d);
        } catch (RuntimeException | IOException e) {
            if (d != null) d.close();
            writer.shutdownNow();
            timers.shutdownNow();
            throw e;
        }
        this.dp = d;
        this.kernel = k;
        this.commits = new Commits(store, confirm, k, metrics);
        this.live = new LiveViews(d, k::running, options.clock());
        this.watcher = w;
    }

    /**
     * Starts an engine: opens the store in {@link EngineOptions#stateDir()} (failing when another process holds it),
     * the kernel and its notifications, and runs the startup (see the class comment) before returning. Blocks the
     * calling thread for that; call it from the daemon's main thread.
     *
     * @throws IOException when the store cannot be opened
     */
    public static Engine start(EngineOptions options) throws IOException {
        return start(options, false);
    }

    /**
     * Opens a standalone engine for one CLI command (see the class comment): the store (failing when a daemon holds
     * it) and the kernel, without a startup reconcile, timers or notifications. Plans read the kernel; a commit
     * applies the config as the daemon would.
     *
     * @throws IOException when the store cannot be opened (in use by a daemon, or unreadable)
     */
    public static Engine open(EngineOptions options) throws IOException {
        return start(options, true);
    }

    private static Engine start(EngineOptions options, boolean standalone) throws IOException {
        RevisionStore store = RevisionStore.open(options.stateDir(), options.keep(), options.clock());
        Engine e;
        try {
            e = new Engine(options, store, standalone);
        } catch (IOException | RuntimeException ex) {
            try {
                store.close();
            } catch (IOException suppressed) {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
        try {
            if (e.watcher != null) e.watcher.start();
            e.writer.submit(() -> {
                if (standalone) e.kernel.publishNewest();
                else e.startup();
                return null;
            }).get();
            if (!standalone) e.driftLoop.start(options.resyncInterval());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            e.close();
            throw new IllegalStateException("interrupted while starting", ex);
        } catch (ExecutionException ex) {
            e.close();
            if (ex.getCause() instanceof RuntimeException re) throw re;
            if (ex.getCause() instanceof IOException io) throw io;
            throw new IllegalStateException(ex.getCause());
        }
        return e;
    }

    // ------------------------------------------------------------------ changes, through the writer

    /**
     * Commits {@code config}: refused with a {@link CommitRefusedException} when it would lock the API out or cannot
     * be compiled; else applied to the kernel, then recorded as a revision. With {@code confirmWithin}, it is rolled
     * back unless {@link #confirm()}ed in time. Fails with the {@link dev.bulwark.control.reconcile.ReconcileException}
     * when the kernel refused it (nothing recorded, the kernel restored).
     */
    public CompletableFuture<CommitResult> commit(Config config, CommitMeta meta, Duration confirmWithin) {
        return commit(config, meta, confirmWithin, null);
    }

    /**
     * {@link #commit(Config, CommitMeta, Duration)} on a condition: when {@code expectedRevision} is not null, the
     * writer first checks that it is still the newest revision (0: nothing committed yet) and otherwise fails with a
     * {@link RevisionMismatchException}, changing nothing. Of concurrent commits expecting the same revision, exactly
     * one goes through (HTTP {@code If-Match}).
     */
    public CompletableFuture<CommitResult> commit(Config config, CommitMeta meta, Duration confirmWithin, Long expectedRevision) {
        return submit(() -> {
            commits.expect(expectedRevision);
            refuseConfirmStandalone(confirmWithin);
            return commits.commit(config, meta, confirmWithin);
        });
    }

    /**
     * Commits an edit of the newest revision, read and committed in one step on the writer (nothing can come between):
     * {@code edit} gets the newest revision (null when nothing is committed) and returns the config to commit, or
     * throws (an {@link InvalidConfigException} for an edit that makes the config invalid), which fails the future
     * with nothing changed. With {@code expectedRevision}, as for {@link #commit(Config, CommitMeta, Duration, Long)}.
     * {@code edit} runs on the writer: it must be quick and pure.
     */
    public CompletableFuture<CommitResult> update(Long expectedRevision, Function<Revision, Config> edit, CommitMeta meta, Duration confirmWithin) {
        return submit(() -> {
            Revision base = commits.expect(expectedRevision);
            refuseConfirmStandalone(confirmWithin);
            return commits.commit(edit.apply(base), meta, confirmWithin);
        });
    }

    /**
     * Commits the newest revision with a JSON Merge Patch (RFC 7396) applied: on the writer, the running config as a
     * JSON tree, patched, then read and validated like any config (an {@link InvalidConfigException} with every error
     * by pointer fails the future, nothing changed) and committed. With {@code expectedRevision}, as for
     * {@link #commit(Config, CommitMeta, Duration, Long)}.
     */
    public CompletableFuture<Patched> patch(Long expectedRevision, JsonNode mergePatch, CommitMeta meta, Duration confirmWithin) {
        List<Problem> warnings = new ArrayList<>();
        return update(expectedRevision, base -> {
            Config current = base == null ? null : kernel.running().filter(r -> r.revision().id() == base.id())
                    .map(Running::config).orElseGet(base::config);
            JsonNode target = current == null ? JSON.createObjectNode() : ConfigWriter.toTree(current);
            JsonNode merged = MergePatch.apply(target, mergePatch);
            LoadResult r;
            try {
                r = ConfigLoader.parse(JSON.writeValueAsBytes(merged), Format.JSON);
            } catch (JsonProcessingException x) {
                throw new IllegalStateException(x);
            }
            if (!r.valid()) throw new InvalidConfigException(r.errors().stream().map(Engine::unplaced).toList());
            r.warnings().stream().map(Engine::unplaced).forEach(warnings::add);
            return r.config();
        }, meta, confirmWithin).thenApply(c -> new Patched(c, warnings));
    }

    private static Problem unplaced(Problem p) {
        return new Problem(p.severity(), p.pointer(), p.message(), null, null);
    }

    /** {@link #commit(Config, CommitMeta, Duration)} without a confirm window. */
    public CompletableFuture<CommitResult> commit(Config config, CommitMeta meta) {
        return commit(config, meta, null);
    }

    /** Makes a stored revision's config the newest revision (applied first, as a commit; anti-lockout applies). */
    public CompletableFuture<CommitResult> rollback(long id, CommitMeta meta) {
        return rollback(id, meta, null);
    }

    /** {@link #rollback(long, CommitMeta)} on the condition that {@code expectedRevision} (if not null) is the newest. */
    public CompletableFuture<CommitResult> rollback(long id, CommitMeta meta, Long expectedRevision) {
        return submit(() -> {
            commits.expect(expectedRevision);
            return commits.rollback(id, meta);
        });
    }

    /** Confirms the open confirm window; fails when there is none or its deadline passed. */
    public CompletableFuture<PendingConfirm> confirm() {
        return submit(() -> {
            PendingConfirm p = confirm.confirm();
            metrics.confirms.increment();
            return p;
        });
    }

    /** A full resync now: reads everything back, records what differs, and repairs it (whatever the drift mode). */
    public CompletableFuture<ResyncResult> resync() {
        return submit(() -> kernel.resync(DriftRecord.Trigger.MANUAL, List.of(), true));
    }

    /**
     * Deletes the conntrack entries that match {@code filter} ({@code conntrack -D}), on the writer like every other
     * kernel change; completes with how many were deleted.
     */
    public CompletableFuture<Long> flushConntrack(ConntrackFilter filter) {
        if (conntrack == null) return CompletableFuture.failedFuture(new UnsupportedOperationException("no conntrack table is wired to this engine"));
        return submit(() -> conntrack.flush(filter));
    }

    private void refuseConfirmStandalone(Duration confirmWithin) {
        if (standalone && confirmWithin != null) {
            throw new IllegalStateException("commit-confirm needs the daemon: a window is rolled back by the process that outlives it, "
                    + "and this command ends when it is done; commit through the daemon's API (bulwark config put FILE --confirm "
                    + confirmWithin.toSeconds() + ")");
        }
        if (standalone && confirm.pending().isPresent()) {
            PendingConfirm p = confirm.pending().get();
            throw new IllegalStateException("a confirm window for revision " + p.revision() + " is open until " + p.deadline()
                    + "; only the daemon can confirm it or roll it back: start it (bulwark daemon --state-dir " + options.stateDir() + ")");
        }
    }

    // ------------------------------------------------------------------ checks and plans

    /**
     * Checks {@code config} as a commit would before it reaches the kernel: the anti-lockout check, then the
     * compiler. Throws the {@link CommitRefusedException} a commit would fail with; changes nothing, any thread.
     */
    public void check(Config config) {
        commits.check(config);
    }

    /**
     * What committing {@code config} would change in the kernel: from memory when it covers it (no writer, no
     * kernel access), else on the writer, reading what is not known. A config that cannot be compiled fails the
     * future with the {@link dev.bulwark.control.compile.CompileException}.
     */
    public CompletableFuture<Plan> plan(Config config) {
        DesiredState d;
        try {
            d = commits.desired(config);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Optional<Plan> p = kernel.memory().plan(d);
        if (p.isPresent()) return CompletableFuture.completedFuture(p.get());
        return submit(() -> kernel.plan(d));
    }

    /** {@link #plan} with the config changes against the running revision and the anti-lockout check, for review. */
    public CompletableFuture<Preview> preview(Config config) {
        Running running = kernel.running().orElse(null);
        return plan(config).thenApply(p -> new Preview(running == null ? null : running.revision().id(), p,
                running == null ? List.of() : ConfigDiff.between(running.config(), config),
                AntiLockout.check(running == null ? null : running.config(), config)));
    }

    /** What committing {@code config} would change, from memory only; empty when memory does not cover it. */
    public Optional<Plan> planFromMemory(Config config) {
        return kernel.memory().plan(commits.desired(config));
    }

    // ------------------------------------------------------------------ the kernel read now, on the writer

    /**
     * Reads the managed namespace now, on the writer (it waits for a change in progress): links, addresses, all
     * routes, our counters by rule, and the conntrack entry count. Changes nothing.
     */
    public CompletableFuture<LiveState> live() {
        return submit(live::live);
    }

    /** Our counters by rule and the conntrack entry count, read now on the writer (a metrics scrape). */
    public CompletableFuture<LiveState.Counters> counters() {
        return submit(live::counters);
    }

    /**
     * What differs between the kernel, read back now, and the committed state: empty when it matches. Neither
     * recorded as drift nor repaired (the drift watcher and the resync timer do that); the read refreshes the
     * writer's memory, so the next commit plans from it.
     */
    public CompletableFuture<Plan> differences() {
        return submit(kernel::differences);
    }

    /**
     * The conntrack table of the managed namespace, for listing (thread-safe, streams; a flush goes through
     * {@link #flushConntrack}); empty when none is wired.
     */
    public Optional<ConntrackTable> conntrack() {
        return Optional.ofNullable(conntrack);
    }

    // ------------------------------------------------------------------ queries, from memory

    /** The newest revision and its parsed config, as the writer last published it; empty before the first commit. */
    public Optional<Running> running() {
        return kernel.running();
    }

    /** The newest revision. */
    public Optional<Revision> latest() {
        return store.latest();
    }

    /** The store, for its thread-safe reads (list, get, diff); commits go through the engine. */
    public RevisionStore store() {
        return store;
    }

    /** The open confirm window, if any. */
    public Optional<PendingConfirm> pending() {
        return Optional.ofNullable(pendingView);
    }

    /** The drift found so far, oldest first (the newest {@link DriftLog#CAPACITY}). */
    public List<DriftRecord> drift() {
        return driftLog.records();
    }

    public EngineMetrics.Snapshot metrics() {
        return metrics.snapshot(watcher == null ? 0 : watcher.seen(), watcher == null ? 0 : watcher.relevant());
    }

    /** How many commits went through a stage and the time they spent in it. */
    public EngineMetrics.TimerSnapshot commitStage(EngineMetrics.CommitStage stage) {
        return metrics.commitStage(stage);
    }

    /** The last kernel notifications read and how each was classified (for diagnosis); empty without a watcher. */
    public List<String> recentNotifications() {
        return watcher == null ? List.of() : watcher.recent();
    }

    /** Where the kernel changes go: "namespace NAME" or "current namespace". */
    public String where() {
        return kernel.where();
    }

    public Status status() {
        Revision latest;
        try {
            latest = store.latest().orElse(null);
        } catch (CorruptRevisionException e) {
            latest = null;
        }
        return new Status(kernel.applied(), latest, kernel.lastReconcile(), kernel.lastError(), options.driftMode(), watcher != null,
                driftLog.outstanding().orElse(null));
    }

    // ------------------------------------------------------------------ the writer's work

    private void startup() {
        Optional<Revision> latest;
        try {
            latest = store.latest();
        } catch (CorruptRevisionException e) {
            kernel.fail("start", e);
            confirmTimer.start();
            return;
        }
        if (latest.isEmpty() && options.initialConfig() != null) {
            try {
                Config c = ConfigLoader.load(options.initialConfig()).orThrow();
                commits.commit(c, CommitMeta.of(CommitConfirm.SYSTEM_AUTHOR, "initial config from " + options.initialConfig(), Source.CLI), null);
                LOG.log(System.Logger.Level.INFO, "committed the initial config " + options.initialConfig() + " as revision 1");
            } catch (Exception e) {
                kernel.fail("commit the initial config " + options.initialConfig(), e);
            }
        } else {
            try {
                confirm.expireIfDue(); // a window that ended while we were down: straight to its target
            } catch (Exception e) {
                kernel.fail("expire the confirm window", e);
            }
            metrics.checks.get(DriftRecord.Trigger.STARTUP).increment();
            kernel.catchUp(DriftRecord.Trigger.STARTUP);
        }
        kernel.publishNewest();
        confirmTimer.start();
    }

    private <T> CompletableFuture<T> submit(Callable<T> task) {
        return writer.submit(task);
    }

    /** Runs {@code task} on the writer, like the public changes (tests hold the writer busy with it). */
    <T> CompletableFuture<T> runOnWriter(Callable<T> task) {
        return submit(task);
    }

    /** Whether the calling thread is the writer (for tests and assertions). */
    boolean onWriterThread() {
        return writer.isWriterThread();
    }

    /**
     * Stops the timers and the watcher, lets work already queued finish, then closes the kernel sockets and the
     * store. The kernel keeps the committed state.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        writer.refuseNew();
        driftLoop.stop();
        confirmTimer.close();
        timers.shutdownNow();
        if (watcher != null) watcher.close();
        writer.close(); // new requests are refused; requests already queued still run
        try {
            if (conntrack != null) conntrack.close();
            dp.close();
        } finally {
            try {
                store.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the revision store failed", e);
            }
        }
    }
}
