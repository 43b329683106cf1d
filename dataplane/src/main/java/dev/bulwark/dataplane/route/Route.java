package dev.bulwark.dataplane.route;

import dev.bulwark.dataplane.netlink.Inet;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A unicast route with one next hop, as a plain value. Desired and live routes are the same type and compare with
 * {@code equals}; the wire encoding is in {@link Routes}. The kernel tells routes apart by (destination, table,
 * metric); see {@link #key()}.
 *
 * @param destination the destination prefix (length 0: default route)
 * @param gateway     the next hop's address, of the destination's family, or null for a route straight onto a link
 * @param device      the output device, or null: the kernel picks it from the gateway (a live route reads with the
 *                    device the kernel chose; {@link RouteState} accepts it for a desired route without one)
 * @param metric      the priority (lower wins). Null in the constructor means the kernel's default, 0 for IPv4 and
 *                    1024 for IPv6, and is stored as that number, so desired and live compare equal
 * @param table       the routing table, 1 to 4294967295; {@link #MAIN_TABLE} (254) by default
 * @param protocol    who installed it (rtm_protocol): {@link #BULWARK_PROTOCOL} for ours; 2 kernel, 3 boot, 4 static...
 */
public record Route(Prefix destination, InetAddress gateway, String device, Long metric, long table, int protocol) {

    /**
     * The route protocol number Bulwark tags its routes with ({@code ip route ... proto 98}), so that it deletes only
     * its own (principle 3). 98 (0x62, "b") is unassigned: not among the kernel's RTPROT_* values (0-4, 8-18, 42,
     * 99, 186-189, 192 in include/uapi/linux/rtnetlink.h), iproute2's /etc/iproute2/rt_protos, or FRR's (186-198).
     */
    public static final int BULWARK_PROTOCOL = 98;
    public static final long MAIN_TABLE = 254;
    public static final long IPV4_DEFAULT_METRIC = 0;
    public static final long IPV6_DEFAULT_METRIC = 1024;

    public Route {
        Objects.requireNonNull(destination, "destination");
        if (gateway != null && Inet.family(gateway) != destination.family()) {
            throw new IllegalArgumentException("route to " + destination + ": gateway " + Inet.text(gateway) + " is of the other address family");
        }
        if (device != null && (device.isEmpty() || device.length() > 15)) {
            throw new IllegalArgumentException("route to " + destination + ": '" + device + "' is not an interface name");
        }
        if (metric == null) metric = destination.isIpv4() ? IPV4_DEFAULT_METRIC : IPV6_DEFAULT_METRIC;
        if (metric < 0 || metric > 0xFFFF_FFFFL) throw new IllegalArgumentException("route to " + destination + ": metric " + metric + " is not 0 to 4294967295");
        if (table < 1 || table > 0xFFFF_FFFFL) throw new IllegalArgumentException("route to " + destination + ": table " + table + " is not 1 to 4294967295");
        if (protocol < 0 || protocol > 255) throw new IllegalArgumentException("route to " + destination + ": protocol " + protocol + " is not 0 to 255");
    }

    /** What identifies a route to the kernel: destination, table, metric. */
    public record Key(Prefix destination, long table, long metric) {
    }

    public Key key() {
        return new Key(destination, table, metric);
    }

    /** Ours: a route to {@code destination} in the main table, default metric, no next hop yet. */
    public static Route to(Prefix destination) {
        return new Route(destination, null, null, null, MAIN_TABLE, BULWARK_PROTOCOL);
    }

    /** {@code Route.to("10.0.0.0/8")}; see {@link Prefix#parse}. */
    public static Route to(String destination) {
        return to(Prefix.parse(destination));
    }

    public Route withGateway(InetAddress gateway) {
        return new Route(destination, gateway, device, metric, table, protocol);
    }

    /** The gateway as a literal ("192.0.2.1"). */
    public Route via(String gateway) {
        return withGateway(Inet.parse(gateway));
    }

    public Route withDevice(String device) {
        return new Route(destination, gateway, device, metric, table, protocol);
    }

    public Route withMetric(Long metric) {
        return new Route(destination, gateway, device, metric, table, protocol);
    }

    public Route withTable(long table) {
        return new Route(destination, gateway, device, metric, table, protocol);
    }

    public Route withProtocol(int protocol) {
        return new Route(destination, gateway, device, metric, table, protocol);
    }

    public boolean ours() {
        return protocol == BULWARK_PROTOCOL;
    }

    /** As {@code ip route} arguments: {@code 10.0.0.0/8 via 192.0.2.1 dev eth0 metric 100 table 254 proto 98}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(destination.toString());
        if (gateway != null) sb.append(" via ").append(Inet.text(gateway));
        if (device != null) sb.append(" dev ").append(device);
        if (metric != (destination.isIpv4() ? IPV4_DEFAULT_METRIC : IPV6_DEFAULT_METRIC)) sb.append(" metric ").append(metric);
        sb.append(" table ").append(table).append(" proto ").append(protocol);
        return sb.toString();
    }
}
