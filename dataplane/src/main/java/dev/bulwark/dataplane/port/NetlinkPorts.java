package dev.bulwark.dataplane.port;

import java.util.Set;

/**
 * The netlink port ids of the sockets a dataplane changes the kernel through, per bus (port ids are unique per bus
 * and namespace only: our rtnetlink and netfilter sockets may well have the same one). The kernel names them in the
 * notifications our own changes cause, which is how the drift watcher tells those apart from everybody else's.
 *
 * @param rtnetlink links, addresses, routes
 * @param netfilter nftables
 */
public record NetlinkPorts(Set<Integer> rtnetlink, Set<Integer> netfilter) {
    public static final NetlinkPorts NONE = new NetlinkPorts(Set.of(), Set.of());

    public NetlinkPorts {
        rtnetlink = Set.copyOf(rtnetlink);
        netfilter = Set.copyOf(netfilter);
    }
}
