package dev.bulwark.dataplane.demo;

import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.netlink.NamedNamespaces;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.route.Prefix;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.Routes;
import com.sun.net.httpserver.HttpServer;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The demo's network: three network namespaces joined by veth pairs, built over netlink (no ip command). Control's
 * {@code DemoSandbox} is its face to the CLI.
 *
 * <pre>
 *   bw-lan  lan0 192.168.1.10/24, .20/24 (the port-forward's server), fd00:1::10/64, default via 192.168.1.1
 *     │ veth
 *   bw-router  eth1 (LAN) · eth0 (WAN): addresses, routes and firewall come from Bulwark's config
 *     │ veth
 *   bw-wan  wan0 203.0.113.1/24 (the upstream; no route to the LAN, so LAN traffic reaches it only masqueraded)
 * </pre>
 *
 * Creating it first removes what a previous run (or a crashed one) left, so it can be run again at any time.
 */
public final class DemoTopology implements AutoCloseable {

    public static final String LAN = "bw-lan";
    public static final String ROUTER = "bw-router";
    public static final String WAN = "bw-wan";
    public static final List<String> NAMESPACES = List.of(LAN, ROUTER, WAN);

    private DemoTopology() {
    }

    /** Removes any leftover sandbox and builds a fresh one. */
    public static DemoTopology create() {
        removeLeftovers();
        DemoTopology box = new DemoTopology();
        try {
            box.build();
        } catch (RuntimeException e) {
            box.close();
            throw e;
        }
        return box;
    }

    public static void removeLeftovers() {
        for (String ns : NAMESPACES) NamedNamespaces.delete(ns);
    }

    private void build() {
        for (String ns : NAMESPACES) NamedNamespaces.create(ns);
        try (NetNamespace router = NetNamespace.named(ROUTER); NetlinkSocket r = router.open(NetlinkSocket.NETLINK_ROUTE);
             NetNamespace lan = NetNamespace.named(LAN); NetlinkSocket l = lan.open(NetlinkSocket.NETLINK_ROUTE);
             NetNamespace wan = NetNamespace.named(WAN); NetlinkSocket w = wan.open(NetlinkSocket.NETLINK_ROUTE)) {
            Links.setUp(r, "lo", true);
            Links.setUp(l, "lo", true);
            Links.setUp(w, "lo", true);
            Links.create(r, new Link("eth1", Link.Kind.VETH, true, null, null, null, null, "lan0"));
            Links.create(r, new Link("eth0", Link.Kind.VETH, true, null, null, null, null, "wan0"));
            Links.moveToNamespace(r, "lan0", LAN);
            Links.moveToNamespace(r, "wan0", WAN);
            Links.setUp(l, "lan0", true);
            Links.setUp(w, "wan0", true);
            for (String a : List.of("192.168.1.10/24", "192.168.1.20/24", "fd00:1::10/64")) Addresses.add(l, Address.of("lan0", a));
            Addresses.add(w, Address.of("wan0", "203.0.113.1/24"));
            // The LAN host's default route, made by the demo: tagged as Bulwark's like every route Bulwark installs.
            Routes.add(l, new Route(Prefix.DEFAULT_V4, Inet.parse("192.168.1.1"), "lan0", null, Route.MAIN_TABLE, Route.BULWARK_PROTOCOL));
            // The router forwards: a host setting of the appliance, not part of the firewall config.
            router.call(() -> {
                write("/proc/sys/net/ipv4/ip_forward", "1");
                write("/proc/sys/net/ipv6/conf/all/forwarding", "1");
                return null;
            });
        }
    }

    private static void write(String path, String value) {
        try (FileOutputStream out = new FileOutputStream(path)) {
            out.write(value.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("write " + path, e);
        }
    }

    /**
     * Starts the web server that stands behind the example's port-forward (tcp 443 → 192.168.1.20:8443) inside
     * bw-lan; it answers with the address the request came from, which shows what NAT did. Stop it before close.
     */
    public HttpServer startLanWebServer() {
        try (NetNamespace lan = NetNamespace.named(LAN)) {
            HttpServer s = lan.call(() -> HttpServer.create(new InetSocketAddress("192.168.1.20", 8443), 16));
            s.createContext("/", ex -> {
                byte[] body = ("hello from 192.168.1.20, the LAN web server behind Bulwark's port-forward; you came from "
                        + ex.getRemoteAddress().getAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            s.start();
            return s;
        }
    }

    /** Removes the three namespaces (their links go with them). */
    @Override
    public void close() {
        removeLeftovers();
    }
}
