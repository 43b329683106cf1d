package dev.bulwark.dataplane.apply;

import dev.bulwark.dataplane.netlink.NetlinkSocket;

/**
 * One kernel change that is not part of an nftables batch: a link, address or route operation (later tc, XDP,
 * SR-IOV). Implementations are records, so plans compare with {@code equals}; each sends one netlink request.
 */
public interface Operation {

    /** The equivalent command, e.g. {@code ip route add 10.0.0.0/8 via 192.0.2.1 table 254 proto 98}. */
    String command();

    /** Makes the change; a kernel refusal throws {@link dev.bulwark.dataplane.netlink.NetlinkException} naming {@link #command()}. */
    void apply(NetlinkSocket socket);
}
