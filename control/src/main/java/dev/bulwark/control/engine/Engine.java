package dev.bulwark.control.engine;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.control.compile.NftCompiler;
import dev.bulwark.dataplane.nft.CounterValue;
import dev.bulwark.dataplane.port.Dataplane;
import dev.bulwark.dataplane.port.NetlinkPorts;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.port.NftPort;
import dev.bulwark.dataplane.port.SysctlPort;
import dev.bulwark.control.compile.CompileException;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.control.drift.DriftLog;
import dev.bulwark.control.drift.DriftMode;
import dev.bulwark.control.drift.DriftRecord;
import dev.bulwark.control.drift.DriftWatcher;
import dev.bulwark.control.lockout.AntiLockout;
import dev.bulwark.control.reconcile.Change;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.Reconciler;
import dev.bulwark.control.revision.CommitConfirm;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.ConfirmTimer;
import dev.bulwark.control.revision.CorruptRevisionException;
import dev.bulwark.control.revision.PendingConfirm;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.RevisionStore;
import dev.bulwark.control.revision.Source;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The control plane's one writer (principle 7): every kernel change and every commit goes through one
 * single-threaded executor, a platform thread named {@code bulwark-writer}. Public methods that change something
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

    private final EngineOptions options;
    private final ExecutorService writer;
    private final ScheduledThreadPoolExecutor timers;
    private final Executor completions = ForkJoinPool.commonPool();
    private final RevisionStore store;
    private final CommitConfirm confirm;
    private final ConfirmTimer confirmTimer;
    private final Dataplane dp;
    private final Reconciler reconciler;
    private final DriftWatcher watcher;
    private final DriftLog driftLog = new DriftLog();
    private final EngineMetrics metrics = new EngineMetrics();
    private final NetlinkPorts ourPorts;
    private final AtomicBoolean driftCheckScheduled = new AtomicBoolean();
    private final AtomicBoolean timerResyncQueued = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<String> driftReasons = new ArrayList<>();
    private int droppedReasons;
    private volatile Thread writerThread;
    private ScheduledFuture<?> resyncTask;

    // writer state; the volatile ones are also published to readers
    private volatile Revision applied;
    private DesiredState appliedDesired;
    private String cachedSha;
    private DesiredState cachedDesired;
    private volatile DesiredState expected;
    private volatile Reconciler.Memory memory;
    private volatile PendingConfirm pendingView;
    private volatile Instant lastReconcile;
    private volatile String lastError;
    private volatile boolean closed;
    private volatile Running running;
    private String counterLabelsSha;
    private Map<String, RuleCounter> counterLabels = Map.of();

    private Engine(EngineOptions options, RevisionStore store) throws IOException {
        this.options = options;
        this.store = store;
        this.writer = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("bulwark-writer").unstarted(() -> {
            writerThread = Thread.currentThread();
            r.run();
        }));
        this.timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("bulwark-timers").factory());
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Dataplane d = null;
        DriftWatcher w = null;
        try {
            this.confirm = CommitConfirm.open(store, options.clock(), this::rolledBack);
            this.pendingView = confirm.pending().orElse(null);
            confirm.addListener(() -> pendingView = confirm.pending().orElse(null));
            this.confirmTimer = new ConfirmTimer(confirm, (task, delay) -> {
                ScheduledFuture<?> f = timers.schedule(() -> onWriter(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }, options.clock());
            d = options.dataplane().get();
            this.ourPorts = d.netlinkPorts();
            if (options.monitor() != null) {
                // subscribed before the startup reconcile reads the kernel: nothing falls between the read and the watch
                w = new DriftWatcher(options.monitor().get(), () -> expected, () -> ourPorts, this::onDrift);
            }
        } catch (RuntimeException | IOException e) {
            if (d != null) d.close();
            writer.shutdownNow();
            timers.shutdownNow();
            throw e;
        }
        this.dp = d;
        this.reconciler = new Reconciler(d);
        this.memory = reconciler.memory();
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
        RevisionStore store = RevisionStore.open(options.stateDir(), options.keep(), options.clock());
        Engine e;
        try {
            e = new Engine(options, store);
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
            e.submit(() -> {
                e.startup();
                return null;
            }).get();
            long every = options.resyncInterval().toNanos();
            e.resyncTask = e.timers.scheduleWithFixedDelay(e::queueTimerResync, every, every, TimeUnit.NANOSECONDS);
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

    // ------------------------------------------------------------------ the API: changes, through the writer

    /**
     * Commits {@code config}: refused with a {@link CommitRefusedException} when it would lock the API out or cannot
     * be compiled; else applied to the kernel, then recorded as a revision. With {@code confirmWithin}, it is rolled
     * back unless {@link #confirm()}ed in time. Fails with the {@link dev.bulwark.control.reconcile.ReconcileException}
     * when the kernel refused it (nothing recorded, the kernel restored).
     */
    public CompletableFuture<CommitResult> commit(Config config, CommitMeta meta, Duration confirmWithin) {
        return submit(() -> doCommit(config, meta, confirmWithin));
    }

    /**
     * {@link #commit(Config, CommitMeta, Duration)} on a condition: when {@code expectedRevision} is not null, the
     * writer first checks that it is still the newest revision (0: nothing committed yet) and otherwise fails with a
     * {@link RevisionMismatchException}, changing nothing. Of concurrent commits expecting the same revision, exactly
     * one goes through (HTTP {@code If-Match}).
     */
    public CompletableFuture<CommitResult> commit(Config config, CommitMeta meta, Duration confirmWithin, Long expectedRevision) {
        return submit(() -> {
            expect(expectedRevision);
            return doCommit(config, meta, confirmWithin);
        });
    }

    /**
     * Commits an edit of the newest revision, read and committed in one step on the writer (nothing can come between):
     * {@code edit} gets the newest revision (null when nothing is committed) and returns the config to commit, or
     * throws (an {@link dev.bulwark.config.InvalidConfigException} for an edit that makes the config invalid), which
     * fails the future with nothing changed. With {@code expectedRevision}, as for
     * {@link #commit(Config, CommitMeta, Duration, Long)}. {@code edit} runs on the writer: it must be quick and pure
     * (a JSON merge patch).
     */
    public CompletableFuture<CommitResult> update(Long expectedRevision, Function<Revision, Config> edit, CommitMeta meta, Duration confirmWithin) {
        return submit(() -> {
            Revision base = expect(expectedRevision);
            Config c = edit.apply(base);
            return doCommit(c, meta, confirmWithin);
        });
    }

    /** {@link #commit(Config, CommitMeta, Duration)} without a confirm window. */
    public CompletableFuture<CommitResult> commit(Config config, CommitMeta meta) {
        return commit(config, meta, null);
    }

    /** Makes a stored revision's config the newest revision (applied first, as a commit; anti-lockout applies). */
    public CompletableFuture<CommitResult> rollback(long id, CommitMeta meta) {
        return submit(() -> doRollback(id, meta));
    }

    /** {@link #rollback(long, CommitMeta)} on the condition that {@code expectedRevision} (if not null) is the newest. */
    public CompletableFuture<CommitResult> rollback(long id, CommitMeta meta, Long expectedRevision) {
        return submit(() -> {
            expect(expectedRevision);
            return doRollback(id, meta);
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
        return submit(() -> resyncNow(DriftRecord.Trigger.MANUAL, List.of(), true));
    }

    /**
     * What committing {@code config} would change in the kernel: from memory when it covers it (no writer, no
     * kernel access), else on the writer, reading what is not known.
     */
    public CompletableFuture<Plan> plan(Config config) {
        DesiredState d;
        try {
            d = Compiler.compile(config);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Optional<Plan> p = memory.plan(d);
        if (p.isPresent()) return CompletableFuture.completedFuture(p.get());
        return submit(() -> {
            try {
                return reconciler.plan(d);
            } finally {
                publish();
            }
        });
    }

    /**
     * Reads the managed namespace now, on the writer (it waits for a change in progress): links, addresses, all
     * routes, our counters by rule, and the conntrack entry count. Changes nothing.
     */
    public CompletableFuture<LiveState> live() {
        return submit(() -> {
            LiveState.Counters c = readCounters();
            NetworkPort net = dp.port(NetworkPort.KIND);
            return new LiveState(options.clock().instant(), dp.where(), net.links(), net.addresses(), net.allRoutes(),
                    c.counters(), c.conntrackEntries());
        });
    }

    /** Our counters by rule and the conntrack entry count, read now on the writer (a metrics scrape). */
    public CompletableFuture<LiveState.Counters> counters() {
        return submit(this::readCounters);
    }

    /**
     * What differs between the kernel, read back now, and the committed state: empty when it matches. Neither
     * recorded as drift nor repaired (the drift watcher and the resync timer do that); the read refreshes the
     * writer's memory, so the next commit plans from it.
     */
    public CompletableFuture<Plan> differences() {
        return submit(() -> {
            DesiredState d = expected;
            if (d == null) return Plan.empty(List.of());
            try {
                return reconciler.check(d);
            } finally {
                publish();
            }
        });
    }

    // ------------------------------------------------------------------ the API: queries, from memory

    /** The newest revision and its parsed config, as the writer last published it; empty before the first commit. */
    public Optional<Running> running() {
        return Optional.ofNullable(running);
    }

    /** What committing {@code config} would change, from memory only; empty when memory does not cover it. */
    public Optional<Plan> planFromMemory(Config config) {
        return memory.plan(Compiler.compile(config));
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

    public Status status() {
        Revision latest;
        try {
            latest = store.latest().orElse(null);
        } catch (CorruptRevisionException e) {
            latest = null;
        }
        return new Status(applied, latest, lastReconcile, lastError, options.driftMode(), watcher != null, driftLog.outstanding().orElse(null));
    }

    // ------------------------------------------------------------------ the writer's work

    private void startup() {
        Optional<Revision> latest;
        try {
            latest = store.latest();
        } catch (CorruptRevisionException e) {
            fail("start", e);
            confirmTimer.start();
            return;
        }
        if (latest.isEmpty() && options.initialConfig() != null) {
            try {
                Config c = ConfigLoader.load(options.initialConfig()).orThrow();
                doCommit(c, CommitMeta.of(CommitConfirm.SYSTEM_AUTHOR, "initial config from " + options.initialConfig(), Source.CLI), null);
                LOG.log(System.Logger.Level.INFO, "committed the initial config " + options.initialConfig() + " as revision 1");
            } catch (Exception e) {
                fail("commit the initial config " + options.initialConfig(), e);
            }
        } else {
            try {
                confirm.expireIfDue(); // a window that ended while we were down: straight to its target
            } catch (Exception e) {
                fail("expire the confirm window", e);
            }
            metrics.checks.get(DriftRecord.Trigger.STARTUP).increment();
            catchUp(DriftRecord.Trigger.STARTUP);
        }
        try {
            Revision newest = store.latest().orElse(null);
            // also when the kernel refused it: its tokens let an operator in to fix it
            if (newest != null && (running == null || running.revision().id() != newest.id())) running = new Running(newest, newest.config());
        } catch (RuntimeException e) {
            fail("read the newest revision", e);
        }
        confirmTimer.start();
    }

    /** Brings the kernel to the latest revision with a full read. */
    private Outcome catchUp(DriftRecord.Trigger trigger) {
        Revision latest;
        try {
            latest = store.latest().orElse(null);
        } catch (CorruptRevisionException e) {
            fail(trigger.name().toLowerCase(java.util.Locale.ROOT) + " reconcile", e);
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
            fail(trigger.name().toLowerCase(java.util.Locale.ROOT) + " reconcile to revision " + latest.id(), e);
            return Outcome.REPAIR_FAILED;
        }
    }

    private CommitResult doCommit(Config config, CommitMeta meta, Duration confirmWithin) throws IOException {
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
        Reconciler.Applied a = applyForCommit(desired);
        long t4 = System.nanoTime();
        metrics.commitStages.get(EngineMetrics.CommitStage.APPLY).record(t4 - t3);
        Revision r;
        try {
            r = confirmWithin == null ? confirm.commit(config, meta) : confirm.commit(config, meta, confirmWithin);
        } catch (IOException | RuntimeException e) {
            putBack(e);
            throw e;
        }
        metrics.commitStages.get(EngineMetrics.CommitStage.STORE).record(System.nanoTime() - t4);
        committed(r, desired, config);
        return new CommitResult(r, a.plan(), a.warnings(), confirm.pending().orElse(null));
    }

    private CommitResult doRollback(long id, CommitMeta meta) throws IOException {
        Revision target = store.get(id);
        Config config = target.config();
        refuseLockout(config);
        DesiredState desired = compileCached(target, config);
        Reconciler.Applied a = applyForCommit(desired);
        Revision r;
        try {
            r = confirm.rollback(id, meta);
        } catch (IOException | RuntimeException e) {
            putBack(e);
            throw e;
        }
        committed(r, desired, config);
        metrics.rollbacks.increment();
        return new CommitResult(r, a.plan(), a.warnings(), confirm.pending().orElse(null));
    }

    /** The newest revision, after checking it is the expected one (when one is expected). On the writer. */
    private Revision expect(Long expectedRevision) {
        Revision latest = store.latest().orElse(null);
        if (expectedRevision != null) {
            long actual = latest == null ? 0 : latest.id();
            if (actual != expectedRevision) throw new RevisionMismatchException(expectedRevision, latest == null ? null : actual);
        }
        return latest;
    }

    /** On the writer: our counters with the config entries they count, and the conntrack entry count. */
    private LiveState.Counters readCounters() {
        Map<String, CounterValue> values = dp.port(NftPort.KIND).counters();
        Map<String, RuleCounter> labels = counterLabels();
        List<RuleCounter> out = new ArrayList<>();
        values.forEach((name, v) -> {
            RuleCounter l = labels.get(name);
            if (l == null) {
                // a counter of our table that the newest config does not name (the kernel still holds an older revision)
                if (name.startsWith("rule_")) l = new RuleCounter(name.substring(5), "rule", null, name, 0, 0);
                else if (name.startsWith("fwd_")) l = new RuleCounter(name.substring(4), "port-forward", null, name, 0, 0);
                else l = new RuleCounter(name, "unknown", null, name, 0, 0);
            }
            out.add(new RuleCounter(l.name(), l.kind(), l.pointer(), name, v.packets(), v.bytes()));
        });
        Long ct = dp.port(SysctlPort.KIND).read(List.of("nf_conntrack_count")).get("nf_conntrack_count");
        return new LiveState.Counters(out, ct);
    }

    /** Counter name to the config entry it counts, for the running config (compiled once per revision). */
    private Map<String, RuleCounter> counterLabels() {
        Running r = running;
        if (r == null) return Map.of();
        if (r.revision().sha256().equals(counterLabelsSha)) return counterLabels;
        Map<String, RuleCounter> labels = new LinkedHashMap<>();
        try {
            JsonNode tree = dev.bulwark.config.ConfigWriter.toTree(r.config());
            NftCompiler.compile(r.config()).orThrow().counters().forEach((counter, pointer) -> {
                JsonNode entry = tree.at(pointer);
                String name = entry.hasNonNull("name") ? entry.get("name").asText() : counter;
                String kind = pointer.startsWith("/firewall/rules/") ? "rule" : pointer.startsWith("/nat/port-forwards/") ? "port-forward" : "unknown";
                labels.put(counter, new RuleCounter(name, kind, pointer, counter, 0, 0));
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot name the counters of revision " + r.revision().id() + ": " + e.getMessage());
        }
        counterLabelsSha = r.revision().sha256();
        counterLabels = Map.copyOf(labels);
        return counterLabels;
    }

    private void refuseLockout(Config config) {
        List<Problem> problems = AntiLockout.check(config);
        if (!problems.isEmpty()) {
            metrics.commitsRefused.increment();
            throw new CommitRefusedException(CommitRefusedException.Reason.ANTI_LOCKOUT, problems);
        }
    }

    private DesiredState compile(Config config) {
        try {
            return Compiler.compile(config);
        } catch (CompileException e) {
            metrics.commitsRefused.increment();
            throw new CommitRefusedException(CommitRefusedException.Reason.COMPILE, e.problems());
        }
    }

    private DesiredState compileCached(Revision r, Config config) {
        if (r.sha256().equals(cachedSha)) return cachedDesired;
        return compile(config);
    }

    /** Applies a commit's desired state; on a refusal the kernel is restored (by the reconciler) and nothing recorded. */
    private Reconciler.Applied applyForCommit(DesiredState desired) {
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
    private void putBack(Exception failure) {
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

    private void committed(Revision r, DesiredState desired, Config config) {
        running = new Running(r, config);
        applied = r;
        appliedDesired = desired;
        expected = desired;
        cachedSha = r.sha256();
        cachedDesired = desired;
        lastError = null;
        driftLog.clearOutstanding();
        metrics.commits.increment();
    }

    /** CommitConfirm's rollback action: on the writer (the confirm timer's tasks run there). */
    private void rolledBack(Revision rollback, PendingConfirm expired) {
        metrics.confirmTimeouts.increment();
        running = new Running(rollback, rollback.config());
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

    /** One reconcile, timed as partial (planned from memory) or full (read back first). */
    private Reconciler.Applied apply(DesiredState desired) {
        boolean full = !reconciler.knowsLiveState();
        long t0 = System.nanoTime();
        try {
            Reconciler.Applied a = reconciler.apply(desired);
            (full ? metrics.fullReconcile : metrics.partialReconcile).record(System.nanoTime() - t0);
            lastReconcile = options.clock().instant();
            return a;
        } catch (RuntimeException e) {
            metrics.reconcileFailures.increment();
            throw e;
        } finally {
            publish();
        }
    }

    private DesiredState desiredOf(Revision r) {
        if (r.sha256().equals(cachedSha)) return cachedDesired;
        Running run = running;
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
    private ResyncResult resyncNow(DriftRecord.Trigger trigger, List<String> reasons, boolean repair) {
        metrics.checks.get(trigger).increment();
        Revision latest;
        try {
            latest = store.latest().orElse(null);
        } catch (CorruptRevisionException e) {
            fail("resync", e);
            throw e;
        }
        if (latest == null) return new ResyncResult(Outcome.NOTHING_COMMITTED, Plan.empty(List.of()), null);
        if (applied == null || applied.id() != latest.id()) {
            Outcome o = catchUp(trigger);
            if (o == Outcome.REPAIR_FAILED) throw new IllegalStateException(lastError);
            return new ResyncResult(o, Plan.empty(List.of()), null);
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
            lastReconcile = options.clock().instant();
            lastError = null;
            driftLog.clearOutstanding();
            return new ResyncResult(Outcome.IN_SYNC, diff, null);
        }
        metrics.driftDetected.increment();
        Instant found = options.clock().instant();
        List<String> lines = diff.changes().stream().map(Change::toString).toList();
        if (!repair) {
            Optional<DriftRecord> standing = driftLog.outstanding();
            DriftRecord rec = standing.isPresent() && standing.get().differences().equals(lines) && standing.get().revision() == latest.id()
                    ? standing.get() // the same drift, found again: recorded once
                    : driftLog.add(found, trigger, latest.id(), reasons, lines, false, "report only");
            if (rec != standing.orElse(null)) LOG.log(System.Logger.Level.WARNING, "drift (not repaired, report only): " + rec);
            return new ResyncResult(Outcome.REPORTED, diff, rec);
        }
        try {
            reconciler.apply(d); // plans from the read just made: exactly the difference
            metrics.fullReconcile.record(System.nanoTime() - t0);
            metrics.driftRepaired.increment();
            lastReconcile = options.clock().instant();
            lastError = null;
            DriftRecord rec = driftLog.add(found, trigger, latest.id(), reasons, lines, true, null);
            LOG.log(System.Logger.Level.WARNING, "drift repaired: " + rec);
            return new ResyncResult(Outcome.REPAIRED, diff, rec);
        } catch (RuntimeException e) {
            metrics.reconcileFailures.increment();
            fail("repair drift", e);
            DriftRecord rec = driftLog.add(found, trigger, latest.id(), reasons, lines, false, e.getMessage());
            return new ResyncResult(Outcome.REPAIR_FAILED, diff, rec);
        } finally {
            publish();
        }
    }

    private void fail(String what, Exception e) {
        lastError = what + " failed: " + e.getMessage();
        LOG.log(System.Logger.Level.ERROR, lastError, e);
    }

    private void publish() {
        memory = reconciler.memory();
    }

    // ------------------------------------------------------------------ timers and notifications

    /** From the watcher's thread: something of ours may have changed. The check runs {@code debounce} later. */
    private void onDrift(String reason) {
        synchronized (driftReasons) {
            if (driftReasons.size() < 20) driftReasons.add(reason);
            else droppedReasons++;
        }
        if (driftCheckScheduled.compareAndSet(false, true)) {
            try {
                timers.schedule(() -> onWriter(this::notificationCheck), options.debounce().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                driftCheckScheduled.set(false);
            }
        }
    }

    private void notificationCheck() {
        driftCheckScheduled.set(false); // what arrives from now on schedules another check
        List<String> reasons;
        synchronized (driftReasons) {
            reasons = new ArrayList<>(driftReasons);
            if (droppedReasons > 0) reasons.add("... and " + droppedReasons + " more");
            driftReasons.clear();
            droppedReasons = 0;
        }
        resyncNow(DriftRecord.Trigger.NOTIFICATION, reasons, options.driftMode() == DriftMode.REPAIR);
    }

    private void queueTimerResync() {
        if (timerResyncQueued.compareAndSet(false, true)) {
            onWriter(() -> {
                timerResyncQueued.set(false);
                resyncNow(DriftRecord.Trigger.TIMER, List.of(), options.driftMode() == DriftMode.REPAIR);
            });
        }
    }

    /** Runs internal work on the writer; failures are logged (they are recorded in status by the work itself). */
    private void onWriter(Runnable task) {
        try {
            writer.execute(() -> {
                if (closed) return;
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "engine task failed", e);
                }
            });
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    private <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the engine is closed"));
            return f;
        }
        try {
            writer.execute(() -> {
                T v;
                try {
                    v = task.call();
                } catch (Throwable e) {
                    completions.execute(() -> f.completeExceptionally(e));
                    return;
                }
                completions.execute(() -> f.complete(v));
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the engine is closed"));
        }
        return f;
    }

    /** Runs {@code task} on the writer, like the public changes (tests hold the writer busy with it). */
    <T> CompletableFuture<T> runOnWriter(Callable<T> task) {
        return submit(task);
    }

    /** Whether the calling thread is the writer (for tests and assertions). */
    boolean onWriterThread() {
        return Thread.currentThread() == writerThread;
    }

    /**
     * Stops the timers and the watcher, lets work already queued finish, then closes the kernel sockets and the
     * store. The kernel keeps the committed state.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        closed = true; // new requests are refused; internal tasks already queued are skipped
        if (resyncTask != null) resyncTask.cancel(false);
        confirmTimer.close();
        timers.shutdownNow();
        if (watcher != null) watcher.close();
        writer.shutdown(); // requests already queued still run
        try {
            if (!writer.awaitTermination(60, TimeUnit.SECONDS)) LOG.log(System.Logger.Level.WARNING, "the writer did not finish within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
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
