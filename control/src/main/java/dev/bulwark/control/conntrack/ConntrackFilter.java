package dev.bulwark.control.conntrack;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which conntrack entries a listing or flush is about; every part is optional (null: any), and an entry must match
 * all given parts.
 *
 * @param address  an address that is the source or destination of either direction
 * @param port     a port that is the source or destination port of either direction
 * @param protocol the layer-4 protocol by name: tcp, udp, icmp, icmpv6, sctp, udplite, gre, dccp
 */
public record ConntrackFilter(InetAddress address, Integer port, String protocol) {

    /** The protocol names a filter takes. */
    public static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "icmpv6", "sctp", "udplite", "gre", "dccp");

    /** Every entry. */
    public static final ConntrackFilter ALL = new ConntrackFilter(null, null, null);

    public ConntrackFilter {
        if (port != null && (port < 0 || port > 65535)) throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        if (protocol != null) {
            protocol = protocol.toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("unknown protocol '" + protocol + "'; one of " + String.join(", ", PROTOCOLS.stream().sorted().toList()));
            }
        }
    }

    /** Whether nothing is filtered. */
    public boolean isAll() {
        return address == null && port == null && protocol == null;
    }

    /** Whether {@code e} matches (for implementations that filter in Java, and for tests). */
    public boolean matches(ConntrackEntry e) {
        if (protocol != null && !protocol.equals(e.protocol())) return false;
        if (address != null && !(has(e.original(), address) || has(e.reply(), address))) return false;
        return port == null || hasPort(e.original(), port) || hasPort(e.reply(), port);
    }

    private static boolean has(ConntrackEntry.Tuple t, InetAddress a) {
        return t != null && (a.equals(t.source()) || a.equals(t.destination()));
    }

    private static boolean hasPort(ConntrackEntry.Tuple t, int p) {
        return t != null && (Objects.equals(t.sourcePort(), p) || Objects.equals(t.destinationPort(), p));
    }

    @Override
    public String toString() {
        if (isAll()) return "all entries";
        StringBuilder sb = new StringBuilder();
        if (protocol != null) sb.append(protocol).append(' ');
        if (address != null) sb.append("address ").append(address.getHostAddress()).append(' ');
        if (port != null) sb.append("port ").append(port);
        return sb.toString().strip();
    }
}
