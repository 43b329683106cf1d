package dev.bulwark.dataplane.port;

import dev.bulwark.dataplane.conntrack.ConntrackEntry;
import dev.bulwark.dataplane.conntrack.ConntrackFilter;
import dev.bulwark.dataplane.conntrack.KernelConntrack;
import java.util.function.Consumer;

/**
 * The connection tracking table over ctnetlink. Thread-safe: each call opens its own socket inside the namespace,
 * so listings for several clients can run at once; a flush changes the kernel and goes through control's writer.
 */
public interface ConntrackPort {

    PortKind<ConntrackPort> KIND = new PortKind<>("conntrack", ConntrackPort.class, KernelConntrack::new);

    /**
     * Streams the entries that match {@code filter} to {@code each} as they are read, never holding the whole table
     * ({@code conntrack -L [filter]}). The consumer may throw to stop the listing; that exception propagates.
     */
    void list(ConntrackFilter filter, Consumer<ConntrackEntry> each);

    /** Deletes the entries that match {@code filter} ({@code conntrack -D [filter]}); returns how many. */
    long flush(ConntrackFilter filter);
}
