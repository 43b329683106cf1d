package dev.bulwark.dataplane.conntrack;

import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.port.ConntrackPort;
import dev.bulwark.dataplane.port.KernelContext;
import java.util.function.Consumer;

/**
 * {@link ConntrackPort} over ctnetlink ({@link Conntrack}). Each call opens its own netfilter socket inside the
 * namespace, so listings for several clients and a flush can run at once without sharing a socket.
 */
public final class KernelConntrack implements ConntrackPort {

    private final KernelContext kernel;

    public KernelConntrack(KernelContext kernel) {
        this.kernel = kernel;
    }

    @Override
    public void list(ConntrackFilter filter, Consumer<ConntrackEntry> each) {
        try (NetlinkSocket s = kernel.namespace().open(NetlinkSocket.NETLINK_NETFILTER)) {
            Conntrack.list(s, filter, each);
        }
    }

    @Override
    public long flush(ConntrackFilter filter) {
        try (NetlinkSocket s = kernel.namespace().open(NetlinkSocket.NETLINK_NETFILTER)) {
            return Conntrack.flush(s, filter);
        }
    }
}
