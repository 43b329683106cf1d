package dev.bulwark.control.drift;

import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.NetlinkPorts;
import dev.bulwark.dataplane.monitor.KernelChange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the kernel's change notifications on a dedicated platform thread and hands every one that may be drift
 * ({@link DriftFilter}) to a callback, which schedules a check on the engine's writer. It never touches the kernel
 * itself and never blocks the writer: the expected state and our ports are read from volatile snapshots the writer
 * publishes.
 */
public final class DriftWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DriftWatcher.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int RECENT = 200;

    /** Where notifications come from: {@link dev.bulwark.dataplane.monitor.KernelMonitor} on the real kernel. */
    public interface Source extends AutoCloseable {
        /** The changes announced since the last call, waiting up to {@code timeout} for the first. */
        List<KernelChange> poll(Duration timeout);

        @Override
        void close();
    }

    private final Source source;
    private final Supplier<DesiredState> expected;
    private final Supplier<NetlinkPorts> ourPorts;
    private final Consumer<String> onDrift;
    private final Thread thread;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong relevant = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private volatile boolean closed;

    /**
     * @param expected the committed state the kernel should hold (null: nothing is ours yet)
     * @param ourPorts the netlink ports of the sockets our own changes go through
     * @param onDrift  called on the watcher's thread with the reason, for each change that may be drift
     */
    public DriftWatcher(Source source, Supplier<DesiredState> expected, Supplier<NetlinkPorts> ourPorts, Consumer<String> onDrift) {
        this.source = source;
        this.expected = expected;
        this.ourPorts = ourPorts;
        this.onDrift = onDrift;
        this.thread = Thread.ofPlatform().daemon().name("bulwark-drift-watch").unstarted(this::run);
    }

    public synchronized void start() {
        if (closed || thread.isAlive()) return;
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                List<KernelChange> changes;
                try {
                    changes = source.poll(POLL);
                } catch (RuntimeException e) {
                    long n = failures.incrementAndGet();
                    if (n == 1 || n % 60 == 0) {
                        LOG.log(System.Logger.Level.ERROR, "reading kernel notifications failed (" + n + " times so far); each failure "
                                + "schedules a check, and the resync timer still runs", e);
                    }
                    onDrift.accept("reading kernel notifications failed (" + e.getMessage() + "): changes may have been missed");
                    sleep();
                    continue;
                }
                for (KernelChange c : changes) {
                    seen.incrementAndGet();
                    String reason;
                    try {
                        reason = DriftFilter.reason(c, expected.get(), ourPorts.get());
                    } catch (RuntimeException e) {
                        reason = c + " (could not be classified: " + e + ")";
                    }
                    remember((reason == null ? "ignored: " : "drift?: ") + c);
                    if (reason != null) {
                        relevant.incrementAndGet();
                        onDrift.accept(reason);
                    }
                }
            }
        } finally {
            source.close();
        }
    }

    private void sleep() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private synchronized void remember(String s) {
        recent.addLast(s);
        while (recent.size() > RECENT) recent.removeFirst();
    }

    /** The last notifications read and how each was classified, oldest first (for diagnosis). */
    public synchronized List<String> recent() {
        return List.copyOf(recent);
    }

    /** Notifications read so far. */
    public long seen() {
        return seen.get();
    }

    /** Notifications that may have been drift (each scheduled a check, debounced). */
    public long relevant() {
        return relevant.get();
    }

    /** Failed reads of the notification sockets. */
    public long failures() {
        return failures.get();
    }

    /** Stops the thread (within the poll interval) and closes the source. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (thread.getState() == Thread.State.NEW) {
                source.close();
                return;
            }
        }
        if (Thread.currentThread() == thread) return;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
