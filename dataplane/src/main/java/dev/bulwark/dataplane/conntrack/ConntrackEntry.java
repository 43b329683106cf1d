package dev.bulwark.dataplane.conntrack;

import dev.bulwark.dataplane.netlink.Inet;
import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One connection tracking entry, as {@code conntrack -L} shows it: the original and reply tuples, the protocol state,
 * timeout, mark, status flags, zone, counters and the kernel's id. A plain value; its ctnetlink encoding lives in
 * {@code CtnlMessages}, the operations in {@link Conntrack}.
 *
 * @param family   the layer-3 family: {@link Inet#AF_INET} or {@link Inet#AF_INET6}
 * @param protocol the layer-4 protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, ...)
 * @param original the tuple of the direction that opened the connection
 * @param reply    the tuple expected in the reply direction (differs from the inverted original under NAT)
 * @param tcpState the TCP state as the kernel names it (ESTABLISHED, TIME_WAIT, ...), null unless TCP
 * @param timeout  seconds until the entry expires unless traffic refreshes it
 * @param mark     the connection mark (an unsigned 32-bit value)
 * @param status   the status flags ({@code [ASSURED]}; {@code [UNREPLIED]} is the absence of SEEN_REPLY)
 * @param zone     the conntrack zone; 0 is the default zone (the kernel sends CTA_ZONE only for others)
 * @param counters packets and bytes per direction; null when accounting is off ({@code nf_conntrack_acct=0})
 * @param helper   the name of the attached helper (ftp, sip, ...), or null
 * @param id       the kernel's id of the entry (unsigned 32-bit), as {@code conntrack -L -o id} prints it
 */
public record ConntrackEntry(int family, int protocol, Tuple original, Tuple reply, String tcpState, long timeout,
                             long mark, Set<Status> status, int zone, Counters counters, String helper, long id) {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;
    public static final int SCTP = 132;
    public static final int UDPLITE = 136;
    public static final int DCCP = 33;
    public static final int GRE = 47;

    public ConntrackEntry {
        if (family != Inet.AF_INET && family != Inet.AF_INET6) throw new IllegalArgumentException("family " + family + " is not AF_INET or AF_INET6");
        if (protocol < 0 || protocol > 255) throw new IllegalArgumentException("protocol " + protocol + " is not 0..255");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(reply, "reply");
        EnumSet<Status> s = EnumSet.noneOf(Status.class);
        s.addAll(status);
        status = Collections.unmodifiableSet(s);
    }

    /** "ipv4" or "ipv6", as {@code conntrack -L -o extended} prints the family. */
    public String familyName() {
        return family == Inet.AF_INET ? "ipv4" : "ipv6";
    }

    /** The protocol's name as {@code conntrack -L} prints it: tcp, udp, icmp, icmpv6, ... or "unknown". */
    public String protocolName() {
        return protocolName(protocol);
    }

    /** The name {@code conntrack} gives a protocol number, or "unknown". */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case TCP -> "tcp";
            case UDP -> "udp";
            case ICMP -> "icmp";
            case ICMPV6 -> "icmpv6";
            case SCTP -> "sctp";
            case UDPLITE -> "udplite";
            case DCCP -> "dccp";
            case GRE -> "gre";
            default -> "unknown";
        };
    }

    /** The entry has the flag. */
    public boolean has(Status flag) {
        return status.contains(flag);
    }

    /**
     * One direction of a connection: addresses and the protocol's keys. Ports are -1 for protocols without them; the
     * ICMP fields are -1 except for ICMP and ICMPv6 (whose echo id the kernel tracks in place of ports).
     */
    public record Tuple(InetAddress source, InetAddress destination, int sourcePort, int destinationPort,
                        int icmpType, int icmpCode, int icmpId) {
        public Tuple {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            if (source.getAddress().length != destination.getAddress().length) {
                throw new IllegalArgumentException("source " + source + " and destination " + destination + " differ in family");
            }
            checkRange("source port", sourcePort, 0xFFFF);
            checkRange("destination port", destinationPort, 0xFFFF);
            checkRange("icmp type", icmpType, 0xFF);
            checkRange("icmp code", icmpCode, 0xFF);
            checkRange("icmp id", icmpId, 0xFFFF);
        }

        /** A tuple with ports (tcp, udp, sctp, ...). */
        public static Tuple ports(InetAddress source, InetAddress destination, int sourcePort, int destinationPort) {
            return new Tuple(source, destination, sourcePort, destinationPort, -1, -1, -1);
        }

        /** An ICMP or ICMPv6 tuple. */
        public static Tuple icmp(InetAddress source, InetAddress destination, int type, int code, int id) {
            return new Tuple(source, destination, -1, -1, type, code, id);
        }

        public boolean hasPorts() {
            return sourcePort >= 0;
        }

        public boolean isIcmp() {
            return icmpType >= 0;
        }

        private static void checkRange(String what, int v, int max) {
            if (v < -1 || v > max) throw new IllegalArgumentException(what + " " + v + " is not -1 (none) or 0.." + max);
        }

        /** As {@code conntrack -L} prints it: {@code src=A dst=B sport=P dport=Q} or {@code ... type=T code=C id=I}. */
        @Override
        public String toString() {
            String s = "src=" + Inet.text(source) + " dst=" + Inet.text(destination);
            if (hasPorts()) s += " sport=" + sourcePort + " dport=" + destinationPort;
            if (isIcmp()) s += " type=" + icmpType + " code=" + icmpCode + " id=" + icmpId;
            return s;
        }
    }

    /** Accounting per direction ({@code packets=N bytes=M} after each tuple in {@code conntrack -L}). */
    public record Counters(long originalPackets, long originalBytes, long replyPackets, long replyBytes) {
    }

    /** The status flags ({@code enum ip_conntrack_status}), by bit number. */
    public enum Status {
        EXPECTED(0), SEEN_REPLY(1), ASSURED(2), CONFIRMED(3), SRC_NAT(4), DST_NAT(5), SEQ_ADJUST(6),
        SRC_NAT_DONE(7), DST_NAT_DONE(8), DYING(9), FIXED_TIMEOUT(10), TEMPLATE(11), NAT_CLASH(12), HELPER(13),
        OFFLOAD(14), HW_OFFLOAD(15);

        private final int bit;

        Status(int bit) {
            this.bit = bit;
        }

        public int bit() {
            return bit;
        }

        /** The flags set in a CTA_STATUS word; bits this list does not know are left out. */
        public static Set<Status> of(int bits) {
            EnumSet<Status> s = EnumSet.noneOf(Status.class);
            for (Status f : values()) if ((bits & (1 << f.bit)) != 0) s.add(f);
            return s;
        }
    }

    /** Roughly as {@code conntrack -L -o extended,id} prints the entry (without the use count). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(familyName()).append(' ').append(family).append(' ').append(protocolName()).append(' ').append(protocol)
                .append(' ').append(timeout);
        if (tcpState != null) sb.append(' ').append(tcpState);
        sb.append(' ').append(original);
        if (counters != null) sb.append(" packets=").append(counters.originalPackets).append(" bytes=").append(counters.originalBytes);
        if (!has(Status.SEEN_REPLY)) sb.append(" [UNREPLIED]");
        sb.append(' ').append(reply);
        if (counters != null) sb.append(" packets=").append(counters.replyPackets).append(" bytes=").append(counters.replyBytes);
        if (has(Status.ASSURED)) sb.append(" [ASSURED]");
        sb.append(" mark=").append(mark);
        if (helper != null) sb.append(" helper=").append(helper);
        if (zone != 0) sb.append(" zone=").append(zone);
        sb.append(" id=").append(id);
        return sb.toString();
    }
}
