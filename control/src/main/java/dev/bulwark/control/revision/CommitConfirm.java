package dev.bulwark.control.revision;

import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.model.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Commit-confirm over a {@link RevisionStore}: a commit with a confirm timeout is rolled back automatically unless
 * {@link #confirm()}ed before its deadline. The daemon commits through this class (not the store directly) once it
 * is open, and runs a {@link ConfirmTimer} to expire windows on time.
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>{@link #commit(Config, CommitMeta, Duration)} opens (or, during a window, extends) a window. The revision to
 *     return to is the last confirmed one: a second confirmed commit inside a window keeps the first one's target.</li>
 * <li>A plain {@link #commit(Config, CommitMeta)} or an operator's {@link #rollback} during a window confirms it
 *     (as in Junos): the operator is evidently still connected. When that commit fails, the window stays open.</li>
 * <li>{@link #confirm()} at or after the deadline is refused; the rollback goes ahead.</li>
 * <li>On expiry the target config is committed as a new revision with source {@code confirm-timeout} and
 *     {@code rollback-of} the target, then the {@link RollbackAction} is called with it (the daemon reconciles the
 *     kernel to it). No new revision is made when the newest revision already has the target's config.</li>
 * </ul>
 *
 * <h2>Crash safety</h2>
 * The window is persisted in {@code DIR/pending-confirm} ({@link RecordFile} with magic {@value #MAGIC}: header
 * revision, revision-sha256, rollback-to, since, deadline, author; body: the target's config text) with the same
 * atomic write as revisions, <em>before</em> the revision it guards is committed. So after a restart a window is
 * either absent, or present with its deadline, which {@link ConfirmTimer#start()} honours: at the deadline, or at
 * once when it passed while the daemon was down. A window whose commit never completed (the newest revision already
 * has the target's config) is dropped at {@link #open}. A plain commit deletes the window before it commits.
 *
 * <h2>Threads</h2>
 * All methods are synchronized; the rollback action and listeners run outside the lock, on the caller's (for expiry:
 * the timer's) thread.
 */
public final class CommitConfirm {
    private static final System.Logger LOG = System.getLogger(CommitConfirm.class.getName());

    static final String FILE = "pending-confirm";
    static final String MAGIC = "bulwark-pending-confirm";
    /** The author of automatic rollbacks. */
    public static final String SYSTEM_AUTHOR = "bulwark";

    /** What the daemon does after an expiry committed the rollback revision: reconcile the kernel to it. */
    @FunctionalInterface
    public interface RollbackAction {
        void rolledBack(Revision rollback, PendingConfirm expired) throws Exception;
    }

    private final RevisionStore store;
    private final Clock clock;
    private final RollbackAction action;
    private final Path file;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private PendingConfirm pending;

    private CommitConfirm(RevisionStore store, Clock clock, RollbackAction action, PendingConfirm pending) {
        this.store = store;
        this.clock = clock;
        this.action = action;
        this.file = store.directory().resolve(FILE);
        this.pending = pending;
    }

    /**
     * Reads the persisted window, if any, from the store's directory.
     *
     * @throws CorruptRevisionException when the pending-confirm file is damaged: its deadline and target are then
     *                                  unknown, and guessing could leave an unconfirmed config in place for good
     */
    public static CommitConfirm open(RevisionStore store, Clock clock, RollbackAction action) throws IOException {
        Path file = store.directory().resolve(FILE);
        PendingConfirm p = read(file);
        CommitConfirm cc = new CommitConfirm(store, clock, action, p);
        if (p != null) {
            Optional<Revision> latest;
            try {
                latest = store.latest();
            } catch (CorruptRevisionException e) {
                latest = Optional.empty();
            }
            if (latest.isPresent() && latest.get().configText().equals(p.rollbackText())) {
                LOG.log(System.Logger.Level.INFO, "dropping the confirm window of revision " + p.revision() + ": the newest revision "
                        + latest.get().id() + " already has the config of revision " + p.rollbackTo()
                        + " (the commit never completed, or it was rolled back already)");
                AtomicFiles.delete(file);
                cc.pending = null;
            } else {
                LOG.log(System.Logger.Level.INFO, "commit-confirm: " + p);
            }
        }
        return cc;
    }

    private static PendingConfirm read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            RecordFile.Parsed f = RecordFile.decode(MAGIC, bytes);
            return new PendingConfirm(Long.parseLong(f.require("revision")), f.require("revision-sha256"),
                    Long.parseLong(f.require("rollback-to")), new String(f.body(), StandardCharsets.UTF_8),
                    Instant.parse(f.require("since")), Instant.parse(f.require("deadline")), f.require("author"));
        } catch (RecordFile.Damage | NumberFormatException | DateTimeParseException e) {
            throw new CorruptRevisionException("the commit-confirm record " + file + " is damaged (" + e.getMessage() + "); its deadline "
                    + "and the revision to return to are unknown. Check which revision is wanted, roll back to it if needed, "
                    + "and remove the file to go on");
        }
    }

    private void write(PendingConfirm p) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("revision", Long.toString(p.revision()));
        h.put("revision-sha256", p.revisionSha256());
        h.put("rollback-to", Long.toString(p.rollbackTo()));
        h.put("since", p.since().toString());
        h.put("deadline", p.deadline().toString());
        h.put("author", p.author());
        AtomicFiles.write(file, RecordFile.encode(MAGIC, h, p.rollbackText().getBytes(StandardCharsets.UTF_8)));
    }

    public RevisionStore store() {
        return store;
    }

    /** The open window, if any. */
    public synchronized Optional<PendingConfirm> pending() {
        return Optional.ofNullable(pending);
    }

    /** Called after every change of the window (opened, extended, confirmed, expired); used by {@link ConfirmTimer}. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a commit-confirm listener failed", e);
            }
        }
    }

    /** A plain commit. It confirms an open window first. */
    public Revision commit(Config config, CommitMeta meta) throws IOException {
        Revision r;
        synchronized (this) {
            PendingConfirm was = pending;
            boolean confirmed = clearForOperator("a commit");
            try {
                r = store.commit(config, meta);
            } catch (IOException | RuntimeException e) {
                restore(was, e);
                throw e;
            }
            if (!confirmed) return r;
        }
        changed();
        return r;
    }

    /** Rolls back to a stored revision by the operator's choice (a new revision). It confirms an open window first. */
    public Revision rollback(long id, CommitMeta meta) throws IOException {
        Revision r;
        synchronized (this) {
            store.get(id); // fail before touching the window when there is no such revision
            PendingConfirm was = pending;
            boolean confirmed = clearForOperator("a rollback");
            try {
                r = store.rollback(id, meta);
            } catch (IOException | RuntimeException e) {
                restore(was, e);
                throw e;
            }
            if (!confirmed) return r;
        }
        changed();
        return r;
    }

    /** After a failed operator commit: the window it would have confirmed stays open. */
    private void restore(PendingConfirm was, Exception failure) {
        if (was == null) return;
        try {
            write(was);
            pending = was;
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private boolean clearForOperator(String what) throws IOException {
        if (pending == null) return false;
        PendingConfirm p = pending;
        AtomicFiles.delete(file);
        pending = null;
        LOG.log(System.Logger.Level.INFO, what + " confirms revision " + p.revision());
        return true;
    }

    /**
     * Commits a config that is rolled back unless confirmed within {@code confirmWithin}. The window is durable
     * before the revision is.
     *
     * @throws IllegalStateException when there is no revision to return to (the first commit cannot be confirmed)
     */
    public Revision commit(Config config, CommitMeta meta, Duration confirmWithin) throws IOException {
        if (confirmWithin == null) return commit(config, meta);
        if (confirmWithin.isNegative() || confirmWithin.isZero()) {
            throw new IllegalArgumentException("a confirm timeout must be positive, got " + confirmWithin);
        }
        String text = ConfigWriter.toYaml(config);
        Revision r;
        synchronized (this) {
            PendingConfirm previous = pending;
            long rollbackTo;
            String rollbackText;
            if (previous != null) {
                rollbackTo = previous.rollbackTo();
                rollbackText = previous.rollbackText();
            } else {
                Revision base = store.latest().orElseThrow(() -> new IllegalStateException(
                        "a commit with a confirm timeout needs an earlier revision to return to; commit the first config without one"));
                rollbackTo = base.id();
                rollbackText = base.configText();
            }
            Instant now = clock.instant();
            PendingConfirm p = new PendingConfirm(store.nextId(), RecordFile.sha256(text), rollbackTo, rollbackText, now,
                    now.plus(confirmWithin), meta.author());
            write(p);
            try {
                r = store.commitText(text, meta, null);
            } catch (IOException | RuntimeException e) {
                try {
                    if (previous != null) write(previous);
                    else AtomicFiles.delete(file);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            if (r.id() != p.revision()) {
                p = new PendingConfirm(r.id(), p.revisionSha256(), p.rollbackTo(), p.rollbackText(), p.since(), p.deadline(), p.author());
                write(p);
            }
            pending = p;
        }
        changed();
        return r;
    }

    /**
     * Confirms the open window: its revision stays.
     *
     * @return the window that was confirmed
     * @throws IllegalStateException when no window is open, or its deadline has passed (the rollback goes ahead)
     */
    public PendingConfirm confirm() throws IOException {
        PendingConfirm p;
        synchronized (this) {
            p = pending;
            if (p == null) throw new IllegalStateException("no commit is waiting for confirmation");
            Instant now = clock.instant();
            if (!now.isBefore(p.deadline())) {
                throw new IllegalStateException("too late: the confirm window of revision " + p.revision() + " ended at " + p.deadline()
                        + "; it is being rolled back to revision " + p.rollbackTo());
            }
            AtomicFiles.delete(file);
            pending = null;
        }
        changed();
        return p;
    }

    /**
     * Rolls back when the open window's deadline has passed (by the injected clock); nothing otherwise. Idempotent.
     *
     * @return the rollback revision, when one was made now
     */
    public Optional<Revision> expireIfDue() throws IOException {
        PendingConfirm p;
        Revision rb = null;
        synchronized (this) {
            p = pending;
            if (p == null || clock.instant().isBefore(p.deadline())) return Optional.empty();
            Optional<Revision> latest;
            try {
                latest = store.latest();
            } catch (CorruptRevisionException e) {
                latest = Optional.empty();
            }
            if (latest.isEmpty() || !latest.get().configText().equals(p.rollbackText())) {
                CommitMeta meta = new CommitMeta(SYSTEM_AUTHOR, "revision " + p.revision() + " by " + p.author() + " was not confirmed by "
                        + p.deadline() + "; back to revision " + p.rollbackTo(), Source.CONFIRM_TIMEOUT);
                rb = store.commitText(p.rollbackText(), meta, p.rollbackTo());
            }
            AtomicFiles.delete(file);
            pending = null;
        }
        if (rb != null) LOG.log(System.Logger.Level.WARNING, "commit-confirm: " + rb.message() + " (revision " + rb.id() + ")");
        changed();
        if (rb != null) {
            try {
                action.rolledBack(rb, p);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "the rollback to revision " + p.rollbackTo() + " is committed as revision " + rb.id()
                        + ", but applying it failed; the next resync applies it", e);
            }
        }
        return Optional.ofNullable(rb);
    }
}
