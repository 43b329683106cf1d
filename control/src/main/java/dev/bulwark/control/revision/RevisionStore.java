package dev.bulwark.control.revision;

import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.model.Config;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Committed configs on disk, one file per revision, in a state directory of their own.
 *
 * <h2>On disk</h2>
 * <pre>
 * DIR/000000000042.rev   one revision: a {@link RecordFile} with magic {@value #MAGIC}, header
 *                        id, time, author, source, message, [rollback-of], config-sha256, config-bytes,
 *                        and the canonical YAML config as body; the first line holds the file's own SHA-256
 * DIR/lock               held (flock) while a store is open: one process writes a state directory
 * DIR/pending-confirm    see {@link CommitConfirm}
 * DIR/.tmp-*             a write that had not been renamed yet when the process died; deleted by open
 * </pre>
 *
 * <h2>Durability</h2>
 * {@link #commit} writes a temp file, fsyncs it, renames it to its final name and fsyncs the directory, and returns
 * only then: a revision that {@code commit} returned ("acknowledged") survives a crash or power cut at any instant.
 * Revision ids increase by one per commit and are never reused, also after pruning. After each successful commit the
 * oldest revisions beyond the newest {@code keep} are deleted (a failure to prune is logged, not thrown: the commit
 * itself is done).
 *
 * <h2>Opening</h2>
 * {@link #open} deletes temp files left by a crash, then reads and verifies every revision. A revision file that fails
 * its checksum (or is otherwise unreadable) is never a crash leftover; it is logged at ERROR, listed by
 * {@link #damaged()}, left in place, and asking for it ({@link #get}, or {@link #latest} when it is the newest)
 * throws {@link CorruptRevisionException}. Recover with {@link #rollback} to an intact revision.
 *
 * <h2>Threads</h2>
 * One writer: {@link #commit} and {@link #rollback} are serialized by a lock and meant to be called from the control
 * plane's single writer executor (or through {@link CommitConfirm}, which must then be the only committer). Readers
 * ({@link #latest}, {@link #get}, {@link #list}, {@link #diff}) may run on any thread at any time: they read an
 * immutable snapshot and never block on a write in progress. Across processes, the {@code lock} file keeps a second
 * writer out.
 */
public final class RevisionStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RevisionStore.class.getName());

    public static final int DEFAULT_KEEP = 100;
    static final String MAGIC = "bulwark-revision";
    static final String SUFFIX = ".rev";
    static final String LOCK = "lock";
    private static final Pattern NAME = Pattern.compile("([0-9]{1,19})\\" + SUFFIX);

    /** What the store holds: intact and damaged revisions by id. Immutable; replaced whole on each write. */
    private record State(NavigableMap<Long, Revision> revisions, NavigableMap<Long, DamagedRevision> damaged) {

        long lastId() {
            long a = revisions.isEmpty() ? 0 : revisions.lastKey();
            long b = damaged.isEmpty() ? 0 : damaged.lastKey();
            return Math.max(a, b);
        }

        int size() {
            return revisions.size() + damaged.size();
        }
    }

    private final Path dir;
    private final int keep;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Path> cleaned;
    private final Object writeLock = new Object();
    private volatile State state;
    private volatile boolean closed;

    private RevisionStore(Path dir, int keep, Clock clock, FileChannel lockChannel, FileLock lock, State state, List<Path> cleaned) {
        this.dir = dir;
        this.keep = keep;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.state = state;
        this.cleaned = List.copyOf(cleaned);
    }

    /**
     * The state directory is the owner's alone: refused when others may write to it (anyone who can replace a revision
     * or the confirm record can change the router's config), else made 0700 whatever the umask it was created under.
     */
    static void securePermissions(Path dir) throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(dir);
        if (p.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE) || p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("the state directory " + dir + " is writable by " + (p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)
                    ? "everyone" : "its group") + " (mode " + java.nio.file.attribute.PosixFilePermissions.toString(p)
                    + "): whoever can write there can change the router's config; make it the owner's alone (chmod 700 " + dir + ")");
        }
        if (!p.equals(AtomicFiles.PRIVATE_DIR)) Files.setPosixFilePermissions(dir, AtomicFiles.PRIVATE_DIR);
    }

    public static RevisionStore open(Path dir) throws IOException {
        return open(dir, DEFAULT_KEEP, Clock.systemUTC());
    }

    public static RevisionStore open(Path dir, int keep) throws IOException {
        return open(dir, keep, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the store in {@code dir}, keeping the newest {@code keep} revisions, with revision
     * times from {@code clock}. Fails when another process (or another open store in this JVM) holds the directory.
     */
    public static RevisionStore open(Path dir, int keep, Clock clock) throws IOException {
        if (keep < 1) throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            // made 0700 (the umask can only take bits away): a directory made 0777 under umask 000 would be refused below
            Files.createDirectories(abs, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(AtomicFiles.PRIVATE_DIR));
            if (abs.getParent() != null) AtomicFiles.syncDirectory(abs.getParent());
        }
        securePermissions(abs);
        FileChannel ch = AtomicFiles.openPrivate(abs.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("the revision store " + abs + " is in use: another process (or an open store in this one) holds "
                    + abs.resolve(LOCK));
        }
        try {
            List<Path> cleaned = new ArrayList<>();
            State state = scan(abs, cleaned);
            return new RevisionStore(abs, keep, clock, ch, lock, state, cleaned);
        } catch (IOException | RuntimeException e) {
            try {
                lock.release();
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static State scan(Path dir, List<Path> cleaned) throws IOException {
        NavigableMap<Long, Revision> revisions = new TreeMap<>();
        NavigableMap<Long, DamagedRevision> damaged = new TreeMap<>();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        }
        Collections.sort(entries);
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                // a write that never reached its rename: it was never acknowledged
                Files.deleteIfExists(p);
                cleaned.add(p);
                continue;
            }
            Matcher m = NAME.matcher(name);
            if (!m.matches()) continue;
            long id;
            try {
                id = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                continue;
            }
            try {
                revisions.put(id, read(p, id));
            } catch (RecordFile.Damage e) {
                DamagedRevision d = new DamagedRevision(id, p, e.getMessage());
                damaged.put(id, d);
                LOG.log(System.Logger.Level.ERROR, d + "; it is kept in place and reported, not used");
            }
        }
        if (!cleaned.isEmpty()) {
            AtomicFiles.syncDirectory(dir);
            LOG.log(System.Logger.Level.INFO, "revision store " + dir + ": removed " + cleaned.size()
                    + " unfinished write(s) left by an earlier crash: " + cleaned);
        }
        return new State(Collections.unmodifiableNavigableMap(revisions), Collections.unmodifiableNavigableMap(damaged));
    }

    private static Revision read(Path file, long id) throws IOException, RecordFile.Damage {
        RecordFile.Parsed f = RecordFile.decode(MAGIC, Files.readAllBytes(file));
        try {
            long headerId = Long.parseLong(f.require("id"));
            if (headerId != id) throw new RecordFile.Damage("the file name says revision " + id + ", its header says " + headerId);
            Instant time = Instant.parse(f.require("time"));
            String author = f.require("author");
            Source source = Source.ofLabel(f.require("source"));
            String message = f.require("message");
            String rb = f.header().get("rollback-of");
            Long rollbackOf = rb == null ? null : Long.valueOf(rb);
            String sha = f.require("config-sha256");
            long bytes = Long.parseLong(f.require("config-bytes"));
            if (bytes != f.body().length) {
                throw new RecordFile.Damage("the header says " + bytes + " config bytes, the file holds " + f.body().length);
            }
            if (!RecordFile.sha256(f.body()).equals(sha)) throw new RecordFile.Damage("the config does not hash to its config-sha256");
            return new Revision(id, time, author, source, message, rollbackOf, new String(f.body(), StandardCharsets.UTF_8), sha);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new RecordFile.Damage("a header value does not parse: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RecordFile.Damage(e.getMessage());
        }
    }

    static byte[] encode(Revision r) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("id", Long.toString(r.id()));
        h.put("time", r.time().toString());
        h.put("author", r.author());
        h.put("source", r.source().label());
        h.put("message", r.message());
        if (r.rollbackOf() != null) h.put("rollback-of", Long.toString(r.rollbackOf()));
        byte[] body = r.configText().getBytes(StandardCharsets.UTF_8);
        h.put("config-sha256", r.sha256());
        h.put("config-bytes", Integer.toString(body.length));
        return RecordFile.encode(MAGIC, h, body);
    }

    /** The file of a revision: 12 digits, zero-padded, so that a directory listing is in commit order. */
    public Path file(long id) {
        return dir.resolve(String.format("%012d", id) + SUFFIX);
    }

    public Path directory() {
        return dir;
    }

    public int keep() {
        return keep;
    }

    /** Commits a config as the newest revision; returns once it is durable on disk. */
    public Revision commit(Config config, CommitMeta meta) throws IOException {
        return commitText(ConfigWriter.toYaml(config), meta, null);
    }

    /** A new revision with the config of revision {@code id} (which must be stored and intact). */
    public Revision rollback(long id, CommitMeta meta) throws IOException {
        Revision old = get(id);
        return commitText(old.configText(), meta, id);
    }

    /** Commits canonical config text; the writer's common path. */
    Revision commitText(String canonicalText, CommitMeta meta, Long rollbackOf) throws IOException {
        synchronized (writeLock) {
            if (closed) throw new IllegalStateException("the revision store " + dir + " is closed");
            State s = state;
            long id = s.lastId() + 1;
            Revision r = new Revision(id, clock.instant(), meta.author(), meta.source(), meta.message(), rollbackOf,
                    canonicalText, RecordFile.sha256(canonicalText));
            AtomicFiles.write(file(id), encode(r));
            NavigableMap<Long, Revision> revisions = new TreeMap<>(s.revisions());
            revisions.put(id, r);
            state = new State(Collections.unmodifiableNavigableMap(revisions), s.damaged());
            prune();
            return r;
        }
    }

    /** The id the next commit will get. */
    long nextId() {
        return state.lastId() + 1;
    }

    private void prune() {
        State s = state;
        if (s.size() <= keep) return;
        TreeSet<Long> ids = new TreeSet<>(s.revisions().keySet());
        ids.addAll(s.damaged().keySet());
        NavigableMap<Long, Revision> revisions = new TreeMap<>(s.revisions());
        NavigableMap<Long, DamagedRevision> damaged = new TreeMap<>(s.damaged());
        try {
            while (ids.size() > keep) {
                long oldest = ids.pollFirst();
                Files.deleteIfExists(file(oldest));
                revisions.remove(oldest);
                damaged.remove(oldest);
            }
            AtomicFiles.syncDirectory(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "revision store " + dir + ": pruning to the newest " + keep + " revisions failed; "
                    + "it is tried again after the next commit", e);
        } finally {
            state = new State(Collections.unmodifiableNavigableMap(revisions), Collections.unmodifiableNavigableMap(damaged));
        }
    }

    /**
     * The newest revision, or empty when nothing was ever committed.
     *
     * @throws CorruptRevisionException when the newest revision's file is damaged
     */
    public Optional<Revision> latest() {
        State s = state;
        long last = s.lastId();
        if (last == 0) return Optional.empty();
        DamagedRevision d = s.damaged().get(last);
        if (d != null) throw new CorruptRevisionException("the newest " + d + "; roll back to an intact revision to go on");
        return Optional.of(s.revisions().get(last));
    }

    /**
     * A stored revision.
     *
     * @throws NoSuchElementException   when there is none with this id (never committed, or pruned)
     * @throws CorruptRevisionException when its file is damaged
     */
    public Revision get(long id) {
        State s = state;
        Revision r = s.revisions().get(id);
        if (r != null) return r;
        DamagedRevision d = s.damaged().get(id);
        if (d != null) throw new CorruptRevisionException(d.toString());
        throw new NoSuchElementException("there is no revision " + id + (s.size() == 0 ? "; nothing is committed yet"
                : "; the store holds revisions " + firstId(s) + " to " + s.lastId()));
    }

    private static long firstId(State s) {
        long a = s.revisions().isEmpty() ? Long.MAX_VALUE : s.revisions().firstKey();
        long b = s.damaged().isEmpty() ? Long.MAX_VALUE : s.damaged().firstKey();
        return Math.min(a, b);
    }

    /** The intact revisions, oldest first. Damaged ones are listed by {@link #damaged()}. */
    public List<Revision> list() {
        return List.copyOf(state.revisions().values());
    }

    /** Revision files that failed verification when the store was opened, oldest first. */
    public List<DamagedRevision> damaged() {
        return List.copyOf(state.damaged().values());
    }

    /** Temp files of unfinished writes that {@link #open} deleted. */
    public List<Path> cleanedAtOpen() {
        return cleaned;
    }

    /** What changed from revision {@code a} to revision {@code b}. */
    public List<ConfigDiff.Change> diff(long a, long b) {
        return ConfigDiff.between(get(a).config(), get(b).config());
    }

    /** Releases the directory lock. Reads keep working on what was loaded; commits are refused. */
    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }
}
