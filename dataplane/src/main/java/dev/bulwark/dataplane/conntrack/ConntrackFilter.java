package dev.bulwark.dataplane.conntrack;

import dev.bulwark.dataplane.netlink.Inet;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Which conntrack entries {@link Conntrack#list} and {@link Conntrack#flush} take: all, or those that match every
 * criterion given. Matching is client-side, on each entry as it streams in (the kernel's CTA_FILTER cannot say
 * "either side of either tuple"); only the family of {@link #address()} is passed to the kernel, which then dumps that
 * family alone.
 *
 * @param address  an address the entry must have as source or destination of its original or reply tuple (so both
 *                 the pre- and post-NAT addresses match), or null for any
 * @param port     a port the entry must have as source or destination port of either tuple, or -1 for any; entries
 *                 without ports (icmp) never match a port
 * @param protocol the layer-4 protocol number the entry must have, or -1 for any
 */
public record ConntrackFilter(InetAddress address, int port, int protocol) {

    /** Every entry. */
    public static final ConntrackFilter ALL = new ConntrackFilter(null, -1, -1);

    public ConntrackFilter {
        if (port < -1 || port > 0xFFFF) throw new IllegalArgumentException("port " + port + " is not -1 (any) or 0..65535");
        if (protocol < -1 || protocol > 255) throw new IllegalArgumentException("protocol " + protocol + " is not -1 (any) or 0..255");
    }

    public ConntrackFilter withAddress(InetAddress a) {
        return new ConntrackFilter(a, port, protocol);
    }

    public ConntrackFilter withPort(int p) {
        return new ConntrackFilter(address, p, protocol);
    }

    public ConntrackFilter withProtocol(int p) {
        return new ConntrackFilter(address, port, p);
    }

    /** Whether this takes every entry (no criterion). */
    public boolean isAll() {
        return address == null && port < 0 && protocol < 0;
    }

    /** The family to ask the kernel for: the address's, or AF_UNSPEC (both) without an address. */
    int family() {
        return address == null ? Inet.AF_UNSPEC : Inet.family(address);
    }

    /** Whether {@code e} matches every criterion. */
    public boolean test(ConntrackEntry e) {
        if (protocol >= 0 && e.protocol() != protocol) return false;
        if (port >= 0 && !hasPort(e.original()) && !hasPort(e.reply())) return false;
        if (address != null) {
            byte[] b = address.getAddress();
            return same(b, e.original().source()) || same(b, e.original().destination())
                    || same(b, e.reply().source()) || same(b, e.reply().destination());
        }
        return true;
    }

    private boolean hasPort(ConntrackEntry.Tuple t) {
        return t.hasPorts() && (t.sourcePort() == port || t.destinationPort() == port);
    }

    private static boolean same(byte[] b, InetAddress a) {
        return Arrays.equals(b, a.getAddress());
    }

    /** The criteria in words, for operation names and errors: "protocol udp port 53 address 192.0.2.1" or "all". */
    @Override
    public String toString() {
        if (isAll()) return "all";
        StringBuilder sb = new StringBuilder();
        if (protocol >= 0) {
            String name = ConntrackEntry.protocolName(protocol);
            sb.append(" protocol ").append(name.equals("unknown") ? Integer.toString(protocol) : name);
        }
        if (port >= 0) sb.append(" port ").append(port);
        if (address != null) sb.append(" address ").append(Inet.text(address));
        return sb.toString().strip();
    }
}
