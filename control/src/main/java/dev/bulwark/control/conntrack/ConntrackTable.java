package dev.bulwark.control.conntrack;

import java.util.function.Consumer;

/**
 * The connection tracking table of the managed namespace, as the management API lists and flushes it. The real
 * implementation is {@link PortConntrackTable} (ctnetlink through the dataplane's conntrack port). Both methods block
 * (kernel dumps); callers run them off the event loop; a flush goes through the engine's writer. Implementations are
 * thread-safe.
 */
public interface ConntrackTable extends AutoCloseable {

    /**
     * Streams the entries that match {@code filter} to {@code consumer} as they are read, never holding the whole
     * table ({@code conntrack -L [filter]}). The consumer may throw to stop the listing (the client went away); that
     * exception propagates.
     *
     * @return how many entries were passed to the consumer
     */
    long list(ConntrackFilter filter, Consumer<ConntrackEntry> consumer);

    /**
     * Deletes the entries that match {@code filter}, all of them for {@link ConntrackFilter#ALL}
     * ({@code conntrack -D [filter]} / {@code conntrack -F}).
     *
     * @return how many entries were deleted
     */
    long flush(ConntrackFilter filter);

    @Override
    default void close() {
    }
}
