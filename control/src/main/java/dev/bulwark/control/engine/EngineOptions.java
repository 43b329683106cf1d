package dev.bulwark.control.engine;

import dev.bulwark.control.drift.DriftMode;
import dev.bulwark.control.drift.DriftWatcher;
import dev.bulwark.control.conntrack.ConntrackTable;
import dev.bulwark.control.conntrack.PortConntrackTable;
import dev.bulwark.control.revision.RevisionStore;
import dev.bulwark.dataplane.monitor.KernelChange;
import dev.bulwark.dataplane.monitor.KernelMonitor;
import dev.bulwark.dataplane.port.ConntrackPort;
import dev.bulwark.dataplane.port.Dataplane;
import dev.bulwark.dataplane.port.KernelDataplane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How an {@link Engine} runs.
 *
 * @param stateDir       the revision store's directory
 * @param keep           revisions kept (default {@value RevisionStore#DEFAULT_KEEP})
 * @param dataplane      opens the kernel to reconcile (called once, at start)
 * @param monitor        opens the kernel's notifications for drift detection (called once, at start); null: the
 *                       resync timer is the only drift detection
 * @param initialConfig  on first start (an empty store), the config to commit as revision 1 (source cli); may be null
 * @param resyncInterval the full resync timer: read everything back, diff, repair (default 5 min)
 * @param debounce       how long after a notification about something of ours the check runs, so that a burst
 *                       (a table flushed: one notification per rule) costs one check (default 250 ms)
 * @param driftMode      repair drift (default) or only report it
 * @param clock          wall time for revisions and confirm deadlines
 * @param conntrack      the conntrack table of the dataplane (default: its {@link ConntrackPort}); null: none, the API's
 *                       conntrack routes answer 501
 */
public record EngineOptions(Path stateDir, int keep, Supplier<Dataplane> dataplane, Supplier<DriftWatcher.Source> monitor,
                            Path initialConfig, Duration resyncInterval, Duration debounce, DriftMode driftMode, Clock clock,
                            Function<Dataplane, ConntrackTable> conntrack) {

    /** The conntrack table of a dataplane: its conntrack port. */
    public static final Function<Dataplane, ConntrackTable> PORT_CONNTRACK = d -> new PortConntrackTable(d.port(ConntrackPort.KIND));

    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(5);
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(250);

    public EngineOptions {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(dataplane, "dataplane");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(debounce, "debounce");
        Objects.requireNonNull(driftMode, "driftMode");
        Objects.requireNonNull(clock, "clock");
        if (keep < 1) throw new IllegalArgumentException("keep must be at least 1");
        if (resyncInterval.isNegative() || resyncInterval.isZero()) throw new IllegalArgumentException("the resync interval must be positive");
        if (debounce.isNegative()) throw new IllegalArgumentException("the debounce interval must not be negative");
    }

    /**
     * The real kernel: the network namespace {@code /run/netns/NAME} (the current one when {@code namespace} is null),
     * watched through its rtnetlink and nftables notifications.
     */
    public static EngineOptions kernel(Path stateDir, String namespace) {
        return new EngineOptions(stateDir, RevisionStore.DEFAULT_KEEP, () -> KernelDataplane.open(namespace), () -> source(KernelMonitor.open(namespace)),
                null, DEFAULT_RESYNC, DEFAULT_DEBOUNCE, DriftMode.REPAIR, Clock.systemUTC(), PORT_CONNTRACK);
    }

    /** Any dataplane (tests use an in-memory one), without notifications. */
    public static EngineOptions of(Path stateDir, Supplier<Dataplane> dataplane) {
        return new EngineOptions(stateDir, RevisionStore.DEFAULT_KEEP, dataplane, null, null, DEFAULT_RESYNC, DEFAULT_DEBOUNCE,
                DriftMode.REPAIR, Clock.systemUTC(), PORT_CONNTRACK);
    }

    private static DriftWatcher.Source source(KernelMonitor m) {
        return new DriftWatcher.Source() {
            @Override
            public List<KernelChange> poll(Duration timeout) {
                return m.poll(timeout);
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }

    public EngineOptions withKeep(int n) {
        return new EngineOptions(stateDir, n, dataplane, monitor, initialConfig, resyncInterval, debounce, driftMode, clock, conntrack);
    }

    public EngineOptions withDataplane(Supplier<Dataplane> d) {
        return new EngineOptions(stateDir, keep, d, monitor, initialConfig, resyncInterval, debounce, driftMode, clock, conntrack);
    }

    public EngineOptions withMonitor(Supplier<DriftWatcher.Source> m) {
        return new EngineOptions(stateDir, keep, dataplane, m, initialConfig, resyncInterval, debounce, driftMode, clock, conntrack);
    }

    public EngineOptions withInitialConfig(Path file) {
        return new EngineOptions(stateDir, keep, dataplane, monitor, file, resyncInterval, debounce, driftMode, clock, conntrack);
    }

    public EngineOptions withResyncInterval(Duration d) {
        return new EngineOptions(stateDir, keep, dataplane, monitor, initialConfig, d, debounce, driftMode, clock, conntrack);
    }

    public EngineOptions withDebounce(Duration d) {
        return new EngineOptions(stateDir, keep, dataplane, monitor, initialConfig, resyncInterval, d, driftMode, clock, conntrack);
    }

    public EngineOptions withDriftMode(DriftMode m) {
        return new EngineOptions(stateDir, keep, dataplane, monitor, initialConfig, resyncInterval, debounce, m, clock, conntrack);
    }

    public EngineOptions withClock(Clock c) {
        return new EngineOptions(stateDir, keep, dataplane, monitor, initialConfig, resyncInterval, debounce, driftMode, c, conntrack);
    }

    public EngineOptions withConntrack(Function<Dataplane, ConntrackTable> c) {
        return new EngineOptions(stateDir, keep, dataplane, monitor, initialConfig, resyncInterval, debounce, driftMode, clock, c);
    }
}
