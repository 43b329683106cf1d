package dev.bulwark.control.conntrack;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One connection tracking entry ({@code conntrack -L} shows one per line).
 *
 * @param family   4 or 6
 * @param protocol layer-4 protocol by name (tcp, udp, icmp, icmpv6, ...; the number for others)
 * @param original the tuple of the direction that opened the connection
 * @param reply    the tuple the kernel expects replies with (differs from the original's mirror under NAT)
 * @param state    the TCP state (ESTABLISHED, TIME_WAIT, ...), or null for other protocols
 * @param timeout  seconds until the entry expires, or null when unknown
 * @param mark     the connection mark (ct mark), 0 when none
 * @param assured  whether traffic was seen both ways ([ASSURED])
 */
public record ConntrackEntry(int family, String protocol, Tuple original, Tuple reply, String state, Long timeout, long mark,
                             boolean assured) {

    /**
     * One direction's addresses and ports (ports null for protocols without them; for ICMP the id is the source port).
     */
    public record Tuple(InetAddress source, InetAddress destination, Integer sourcePort, Integer destinationPort) {
        public Tuple {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }
    }

    public ConntrackEntry {
        if (family != 4 && family != 6) throw new IllegalArgumentException("family is 4 or 6, got " + family);
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(original, "original");
    }
}
