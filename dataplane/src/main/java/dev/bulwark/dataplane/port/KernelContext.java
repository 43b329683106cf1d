package dev.bulwark.dataplane.port;

import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.Table;

/**
 * What a kernel port is opened on: the namespace (whose own thread opens sockets inside it), the rtnetlink and
 * netfilter sockets that all ports of a {@link KernelDataplane} share (so that the drift watcher knows our port ids),
 * and the nft table that is ours. Owned and closed by the {@link KernelDataplane}.
 */
public interface KernelContext {

    NetNamespace namespace();

    /** The shared rtnetlink socket (links, addresses, routes). */
    NetlinkSocket rtnetlink();

    /** The shared netfilter socket (nftables). */
    NetlinkSocket netfilter();

    /** Our nft table. */
    Table table();
}
