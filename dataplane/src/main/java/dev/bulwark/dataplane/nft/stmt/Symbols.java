package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;
import java.util.Map;
import java.util.TreeMap;

/**
 * nft's names for protocol numbers, ICMP/ICMPv6 types and conntrack bits, and the datatype ids of set keys that
 * {@link dev.bulwark.dataplane.nft.Nft} does not name (nftables' {@code enum datatypes}).
 */
public final class Symbols {
    private Symbols() {
    }

    /** nft datatype {@code icmp_type} (TYPE_ICMP_TYPE). */
    public static final int TYPE_ICMP_TYPE = 14;
    /** nft datatype {@code icmpv6_type} (TYPE_ICMP6_TYPE). */
    public static final int TYPE_ICMP6_TYPE = 29;

    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;

    /** Conntrack status bit IPS_DST_NAT: the connection was destination-NATed. */
    public static final int CT_STATUS_DNAT = 1 << 5;
    /** Conntrack status bit IPS_SRC_NAT. */
    public static final int CT_STATUS_SNAT = 1 << 4;

    /** nf_nat range flags (NF_NAT_RANGE_*). */
    public static final int NAT_RANGE_MAP_IPS = 0x1;
    public static final int NAT_RANGE_PROTO_SPECIFIED = 0x2;
    public static final int NAT_RANGE_NETMAP = 0x40;

    /** ICMP port unreachable (ICMP_PORT_UNREACH) and ICMPv6 port unreachable (ICMP6_DST_UNREACH_NOPORT). */
    public static final int ICMP_PORT_UNREACH = 3;
    public static final int ICMPV6_PORT_UNREACH = 4;

    private static final Map<Integer, String> ICMP = new TreeMap<>(Map.ofEntries(
            Map.entry(0, "echo-reply"), Map.entry(3, "destination-unreachable"), Map.entry(4, "source-quench"),
            Map.entry(5, "redirect"), Map.entry(8, "echo-request"), Map.entry(9, "router-advertisement"),
            Map.entry(10, "router-solicitation"), Map.entry(11, "time-exceeded"), Map.entry(12, "parameter-problem"),
            Map.entry(13, "timestamp-request"), Map.entry(14, "timestamp-reply"), Map.entry(15, "info-request"),
            Map.entry(16, "info-reply"), Map.entry(17, "address-mask-request"), Map.entry(18, "address-mask-reply")));

    private static final Map<Integer, String> ICMPV6 = new TreeMap<>(Map.ofEntries(
            Map.entry(1, "destination-unreachable"), Map.entry(2, "packet-too-big"), Map.entry(3, "time-exceeded"),
            Map.entry(4, "parameter-problem"), Map.entry(128, "echo-request"), Map.entry(129, "echo-reply"),
            Map.entry(130, "mld-listener-query"), Map.entry(131, "mld-listener-report"), Map.entry(132, "mld-listener-done"),
            Map.entry(133, "nd-router-solicit"), Map.entry(134, "nd-router-advert"), Map.entry(135, "nd-neighbor-solicit"),
            Map.entry(136, "nd-neighbor-advert"), Map.entry(137, "nd-redirect"), Map.entry(138, "router-renumbering"),
            Map.entry(141, "ind-neighbor-solicit"), Map.entry(142, "ind-neighbor-advert"), Map.entry(143, "mld2-listener-report")));

    /** The ICMP (or ICMPv6) type number of an nft type name, or -1. */
    public static int icmpType(boolean v6, String name) {
        for (Map.Entry<Integer, String> e : (v6 ? ICMPV6 : ICMP).entrySet()) {
            if (e.getValue().equals(name)) return e.getKey();
        }
        return -1;
    }

    public static String icmpTypeName(boolean v6, int type) {
        String n = (v6 ? ICMPV6 : ICMP).get(type);
        return n != null ? n : Integer.toString(type);
    }

    /** nft's keyword for a layer 4 protocol (keywords need no /etc/protocols), else the number. */
    public static String l4protoName(int proto) {
        return switch (proto) {
            case IPPROTO_TCP -> "tcp";
            case IPPROTO_UDP -> "udp";
            case IPPROTO_ICMP -> "icmp";
            case IPPROTO_ICMPV6 -> "icmpv6";
            default -> Integer.toString(proto);
        };
    }

    public static String nfprotoName(int nfproto) {
        return switch (nfproto) {
            case Nft.NFPROTO_IPV4 -> "ipv4";
            case Nft.NFPROTO_IPV6 -> "ipv6";
            case Nft.NFPROTO_INET -> "inet";
            default -> throw new IllegalArgumentException("no nfproto " + nfproto);
        };
    }

    /** Conntrack state bits in nft's order of names. */
    public static String ctStates(int mask) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"invalid", "established", "related", "new", "untracked"};
        int[] bits = {1, 2, 4, 8, 64};
        for (int i = 0; i < bits.length; i++) {
            if ((mask & bits[i]) != 0) sb.append(sb.isEmpty() ? "" : ",").append(names[i]);
        }
        if ((mask & ~(1 | 2 | 4 | 8 | 64)) != 0) throw new IllegalArgumentException("unknown ct state bits in " + mask);
        return sb.toString();
    }

    public static String ctStatus(int mask) {
        String[] names = {"expected", "seen-reply", "assured", "confirmed", "snat", "dnat", "dying"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((mask & (1 << i)) != 0) sb.append(sb.isEmpty() ? "" : ",").append(names[i]);
        }
        if ((mask & ~0x7f) != 0) throw new IllegalArgumentException("unsupported ct status bits in " + mask);
        return sb.toString();
    }

    /** nft's priority names for filter/nat chains. */
    public static String priority(int p) {
        String name = switch (p) {
            case Nft.PRIORITY_RAW -> "raw";
            case Nft.PRIORITY_MANGLE -> "mangle";
            case Nft.PRIORITY_DSTNAT -> "dstnat";
            case Nft.PRIORITY_FILTER -> "filter";
            case 50 -> "security";
            case Nft.PRIORITY_SRCNAT -> "srcnat";
            default -> null;
        };
        return name != null ? name : Integer.toString(p);
    }

    public static String hook(int hook) {
        return switch (hook) {
            case Nft.HOOK_PREROUTING -> "prerouting";
            case Nft.HOOK_INPUT -> "input";
            case Nft.HOOK_FORWARD -> "forward";
            case Nft.HOOK_OUTPUT -> "output";
            case Nft.HOOK_POSTROUTING -> "postrouting";
            default -> throw new IllegalArgumentException("unknown hook " + hook);
        };
    }

    public static String logLevel(int level) {
        String[] names = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"};
        if (level < 0 || level >= names.length) throw new IllegalArgumentException("log level " + level);
        return names[level];
    }
}
