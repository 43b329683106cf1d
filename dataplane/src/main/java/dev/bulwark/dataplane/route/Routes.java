package dev.bulwark.dataplane.route;

import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_ACK;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_CREATE;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_DUMP;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_EXCL;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_REPLACE;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_REQUEST;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.Attributes;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.netlink.MessageBuilder;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Routes over rtnetlink (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE, {@code struct rtmsg}). Bulwark adds routes only
 * tagged with {@link Route#BULWARK_PROTOCOL}, and deletes only routes so tagged: the delete request carries our
 * protocol, which the kernel matches, so an identical foreign route is never hit. Each change is one request with
 * NLM_F_ACK; errors are {@link dev.bulwark.dataplane.netlink.NetlinkException}s naming the equivalent {@code ip}
 * command and carrying the kernel's extended-ACK text ("Nexthop has invalid gateway").
 */
public final class Routes {
    private Routes() {
    }

    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTMSG = 12;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_TABLE = 15;
    static final int RTN_UNICAST = 1;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RT_TABLE_UNSPEC = 0;
    static final int RTM_F_CLONED = 0x200;

    private static final int BUFFER = 256;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    /**
     * The unicast routes of both families in all tables (not local/broadcast/multicast routes, not cached clones);
     * with {@code onlyOurs}, only those tagged {@link Route#BULWARK_PROTOCOL}. A multipath route reads with neither
     * gateway nor device. {@code ip route show table all; ip -6 route show table all}
     */
    public static List<Route> read(NetlinkSocket socket, boolean onlyOurs) {
        Map<Integer, String> names = Links.indexNames(socket);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, socket.nextSeq())) {
            m.familyHeader(RTMSG); // AF_UNSPEC: every family's routes, of which we keep IPv4 and IPv6
            List<Route> out = new ArrayList<>();
            for (NetlinkMessage msg : m.send(socket, "ip route show table all")) {
                if (msg.type() != RTM_NEWROUTE) continue;
                Route r = parse(msg, names::get);
                if (r != null && (!onlyOurs || r.protocol() == Route.BULWARK_PROTOCOL)) out.add(r);
            }
            return out;
        }
    }

    /** The route of an RTM_NEWROUTE/RTM_DELROUTE message; null for other families, types, and cached clones. */
    private static Route parse(NetlinkMessage msg, IntFunction<String> names) {
        MemorySegment p = msg.payload();
        int family = u8(p, 0);
        if (family != Inet.AF_INET && family != Inet.AF_INET6) return null;
        int protocol = u8(p, 5);
        if (u8(p, 7) != RTN_UNICAST || (p.get(I32, 8) & RTM_F_CLONED) != 0) return null;
        Attributes a = Attributes.parse(p, RTMSG);
        int dstLen = u8(p, 1);
        byte[] dst = a.has(RTA_DST) ? a.bytes(RTA_DST) : new byte[family == Inet.AF_INET ? 4 : 16];
        byte[] gw = a.bytes(RTA_GATEWAY);
        int oif = a.u32(RTA_OIF, 0);
        long table = a.has(RTA_TABLE) ? Integer.toUnsignedLong(a.u32(RTA_TABLE, 0)) : u8(p, 4);
        Long metric = a.has(RTA_PRIORITY) ? Integer.toUnsignedLong(a.u32(RTA_PRIORITY, 0)) : null;
        return new Route(new Prefix(Inet.fromBytes(dst), dstLen), gw == null ? null : Inet.fromBytes(gw),
                oif == 0 ? null : names.apply(oif), metric, table, protocol);
    }

    /**
     * A route notification, as {@code ip monitor route} shows it.
     *
     * @param removed whether the route went (RTM_DELROUTE) rather than appeared or changed (RTM_NEWROUTE)
     * @param route   the route; {@link Route#protocol()} tells whose it is
     */
    public record Notice(boolean removed, Route route) {
    }

    /**
     * The route of an RTM_NEWROUTE or RTM_DELROUTE message (as the kernel sends them to the RTNLGRP_IPV4_ROUTE and
     * RTNLGRP_IPV6_ROUTE groups), its device named with {@code names}; null for any other message and for routes
     * {@link #read} does not list (not unicast, cached clones).
     */
    public static Notice notice(NetlinkMessage msg, IntFunction<String> names) {
        if (msg.type() != RTM_NEWROUTE && msg.type() != RTM_DELROUTE) return null;
        Route r = parse(msg, names);
        return r == null ? null : new Notice(msg.type() == RTM_DELROUTE, r);
    }

    private static int u8(MemorySegment p, long offset) {
        return Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, offset));
    }

    /**
     * Adds the route, tagged as ours, type unicast, scope universe with a gateway and link without; fails with EEXIST
     * when a route with the same destination, table and metric exists.
     * {@code ip route add DST [via GW] [dev DEV] [metric N] table T proto 98}
     */
    public static void add(NetlinkSocket socket, Route route) {
        newRoute(socket, route, NLM_F_CREATE | NLM_F_EXCL, command("add", route));
    }

    /**
     * Adds the route, or replaces the one with the same destination, table and metric (give it only when that one is
     * ours). {@code ip route replace DST [via GW] [dev DEV] [metric N] table T proto 98}
     */
    public static void replace(NetlinkSocket socket, Route route) {
        newRoute(socket, route, NLM_F_CREATE | NLM_F_REPLACE, command("replace", route));
    }

    private static void newRoute(NetlinkSocket socket, Route route, int flags, String op) {
        if (!route.ours()) {
            throw new IllegalArgumentException(op + ": Bulwark installs only routes of its own protocol " + Route.BULWARK_PROTOCOL
                    + ", not " + route.protocol());
        }
        if (route.gateway() == null && route.device() == null) throw new IllegalArgumentException(op + ": a route needs a gateway or a device");
        int oif = route.device() == null ? 0 : Links.index(socket, route.device(), op);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | flags, socket.nextSeq())) {
            header(m, route, Route.BULWARK_PROTOCOL, route.gateway() != null ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK, RTN_UNICAST);
            attributes(m, route, oif);
            m.send(socket, op);
        }
    }

    /**
     * Deletes our route of that destination, table and metric (also matching its gateway and device when given).
     * The request carries our protocol, so a foreign route is never deleted.
     * {@code ip route del DST [via GW] [dev DEV] [metric N] table T proto 98}
     */
    public static void delete(NetlinkSocket socket, Route route) {
        String op = command("del", route);
        if (!route.ours()) throw new IllegalArgumentException(op + ": Bulwark deletes only routes of its own protocol " + Route.BULWARK_PROTOCOL);
        int oif = route.device() == null ? 0 : Links.index(socket, route.device(), op);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq())) {
            header(m, route, Route.BULWARK_PROTOCOL, RT_SCOPE_NOWHERE, 0);
            attributes(m, route, oif);
            m.send(socket, op);
        }
    }

    private static void header(MessageBuilder m, Route r, int protocol, int scope, int type) {
        MemorySegment h = m.familyHeader(RTMSG);
        h.set(ValueLayout.JAVA_BYTE, 0, (byte) r.destination().family());
        h.set(ValueLayout.JAVA_BYTE, 1, (byte) r.destination().length());
        h.set(ValueLayout.JAVA_BYTE, 4, (byte) (r.table() < 256 ? r.table() : RT_TABLE_UNSPEC));
        h.set(ValueLayout.JAVA_BYTE, 5, (byte) protocol);
        h.set(ValueLayout.JAVA_BYTE, 6, (byte) scope);
        h.set(ValueLayout.JAVA_BYTE, 7, (byte) type);
    }

    private static void attributes(MessageBuilder m, Route r, int oif) {
        if (!r.destination().isDefault()) m.putBytes(RTA_DST, r.destination().address().getAddress());
        if (r.gateway() != null) m.putBytes(RTA_GATEWAY, r.gateway().getAddress());
        if (oif != 0) m.putU32(RTA_OIF, oif);
        m.putU32(RTA_PRIORITY, (int) (long) r.metric());
        m.putU32(RTA_TABLE, (int) r.table());
    }

    static String command(String verb, Route r) {
        return (r.destination().isIpv4() ? "ip route " : "ip -6 route ") + verb + " " + r;
    }

    /** {@link #add} as an operation. */
    public record Add(Route route) implements Operation {
        public Add {
            Objects.requireNonNull(route);
        }

        @Override
        public String command() {
            return Routes.command("add", route);
        }

        @Override
        public void apply(NetlinkSocket socket) {
            add(socket, route);
        }
    }

    /** {@link #replace} as an operation. */
    public record Replace(Route route) implements Operation {
        public Replace {
            Objects.requireNonNull(route);
        }

        @Override
        public String command() {
            return Routes.command("replace", route);
        }

        @Override
        public void apply(NetlinkSocket socket) {
            replace(socket, route);
        }
    }

    /** {@link #delete} as an operation. */
    public record Delete(Route route) implements Operation {
        public Delete {
            Objects.requireNonNull(route);
        }

        @Override
        public String command() {
            return Routes.command("del", route);
        }

        @Override
        public void apply(NetlinkSocket socket) {
            delete(socket, route);
        }
    }
}
