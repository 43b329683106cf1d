package dev.bulwark.dataplane.monitor;

import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.nft.NftNotice;
import dev.bulwark.dataplane.route.Route;

/**
 * One change the kernel announced, as {@link KernelMonitor} reads it. {@link #port()} is the netlink port id of the
 * socket whose request caused it (the kernel puts it in the notification's header): a consumer that knows its own
 * sockets' ports ({@link dev.bulwark.dataplane.netlink.NetlinkSocket#portId()}) can tell its own changes from
 * everybody else's. It is 0 when the kernel acted on its own (a link's carrier, IPv6 autoconfiguration) and for
 * notifications the kernel does not attribute (IPv6 addresses, and links on older kernels).
 */
public sealed interface KernelChange {

    /** The netlink port of the socket whose request caused the change, 0 when unknown or the kernel's own. */
    int port();

    /** {@code ip monitor link}: a link appeared, changed or went; {@code formerName} when it was renamed, else null. */
    record LinkChanged(boolean removed, Link link, String formerName, int port) implements KernelChange {
        @Override
        public String toString() {
            return (removed ? "link " + link.name() + " deleted" : formerName != null ? "link " + formerName + " renamed " + link.name()
                    : "link " + link.name() + " changed (" + (link.up() ? "up" : "down") + (link.mtu() == null ? "" : ", mtu " + link.mtu())
                    + (link.master() == null ? "" : ", master " + link.master()) + ")") + by(port);
        }
    }

    /** {@code ip monitor address}: an address was added (or its flags changed) or deleted. */
    record AddressChanged(boolean removed, Address address, int port) implements KernelChange {
        @Override
        public String toString() {
            return "address " + address + (removed ? " deleted" : " added") + by(port);
        }
    }

    /** {@code ip monitor route}: a unicast route was added, replaced or deleted. */
    record RouteChanged(boolean removed, Route route, int port) implements KernelChange {
        @Override
        public String toString() {
            return "route " + route + (removed ? " deleted" : " added") + by(port);
        }
    }

    /** {@code nft monitor}: an object of a table changed, or a transaction was committed. */
    record NftChanged(NftNotice notice, int port) implements KernelChange {
        @Override
        public String toString() {
            return "nft " + notice + by(port);
        }
    }

    /** The kernel dropped notifications (the socket's queue overflowed): anything may have changed. */
    record Overflowed(String socket) implements KernelChange {
        @Override
        public int port() {
            return 0;
        }

        @Override
        public String toString() {
            return "the kernel dropped " + socket + " notifications (queue overflow): changes may have been missed";
        }
    }

    private static String by(int port) {
        return port == 0 ? "" : " by netlink port " + Integer.toUnsignedString(port);
    }
}
