package dev.bulwark.dataplane.route;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.apply.Step;
import dev.bulwark.dataplane.apply.UndoLog;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel round trips for routes in throwaway namespaces. */
@KernelTest({NETNS, VETH})
class RoutesTest {

    /** A veth pair r0/r1, both up, with 192.0.2.1/24 and 2001:db8::1/64 on r0: gateways .254 and ::ff are on-link. */
    static void connectedSubnet(NetlinkSocket s) {
        Links.create(s, Link.veth("r0", "r1").withUp(true));
        Links.setUp(s, "r1", true);
        Addresses.add(s, Address.of("r0", "192.0.2.1/24"));
        Addresses.add(s, Address.of("r0", "2001:db8::1/64"));
    }

    @Test
    void routesOfBothFamiliesInSeveralTablesRoundTrip() {
        try (TestNamespace ns = TestNamespace.create("route");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            connectedSubnet(s);
            assertThat(Routes.read(s, true)).isEmpty();

            Route defaultV4 = Route.to(Prefix.DEFAULT_V4).via("192.0.2.254").withDevice("r0");
            Route tenIn100 = Route.to("10.0.0.0/8").via("192.0.2.254").withDevice("r0").withTable(100);
            Route bigTable = Route.to("10.1.0.0/16").via("192.0.2.254").withDevice("r0").withTable(100_000);
            Route onLink = Route.to("198.51.100.0/24").withDevice("r0").withMetric(10L);
            Route defaultV6 = Route.to(Prefix.DEFAULT_V6).via("2001:db8::ff").withDevice("r0");
            Route v6In100 = Route.to("2001:db8:1::/48").via("2001:db8::ff").withDevice("r0").withTable(100).withMetric(50L);
            List<Route> desired = List.of(defaultV4, tenIn100, bigTable, onLink, defaultV6, v6In100);

            List<Step> plan = RouteState.plan(desired, Routes.read(s, false));
            assertThat(plan).hasSize(6).allSatisfy(st -> assertThat(st.operation()).isInstanceOf(Routes.Add.class));
            assertThat(plan.get(1).operation().command()).isEqualTo("ip route add 10.0.0.0/8 via 192.0.2.254 dev r0 table 100 proto 98");
            assertThat(plan.get(4).operation().command()).isEqualTo("ip -6 route add default via 2001:db8::ff dev r0 table 254 proto 98");
            new UndoLog().apply(s, plan);
            assertThat(Routes.read(s, true)).containsExactlyInAnyOrderElementsOf(desired);
            // Gateway routes have scope universe, device-only routes scope link; all are tagged as ours.
            assertThat(ns.exec("ip", "route", "show", "198.51.100.0/24")).contains("proto 98 scope link metric 10");
            assertThat(ns.exec("ip", "route", "show", "table", "100000")).contains("10.1.0.0/16 via 192.0.2.254 dev r0 proto 98");
            assertThat(ns.exec("ip", "-6", "route", "show", "table", "100")).contains("2001:db8:1::/48 via 2001:db8::ff dev r0 proto 98 metric 50");
            assertThat(RouteState.plan(desired, Routes.read(s, false))).isEmpty();

            // Foreign routes, one with the destination and table of ours (another metric).
            ns.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.254", "proto", "static");
            ns.exec("ip", "route", "add", "10.0.0.0/8", "via", "192.0.2.254", "table", "100", "metric", "5", "proto", "static");
            ns.exec("ip", "-6", "route", "add", "2001:db8:2::/48", "via", "2001:db8::ff", "proto", "static");
            List<Route> foreign = List.of(
                    new Route(Prefix.parse("203.0.113.0/24"), dev.bulwark.dataplane.netlink.Inet.parse("192.0.2.254"), "r0", null, 254, 4),
                    tenIn100.withMetric(5L).withProtocol(4),
                    Route.to("2001:db8:2::/48").via("2001:db8::ff").withDevice("r0").withProtocol(4));
            assertThat(Routes.read(s, false)).containsAll(foreign).containsAll(desired);
            assertThat(RouteState.plan(desired, Routes.read(s, false))).isEmpty();

            // Change: the default route's metric (a new route, then the old one's removal) and a gateway (replace).
            Route defaultV4m = defaultV4.withMetric(100L);
            Route tenVia253 = tenIn100.via("192.0.2.253");
            List<Route> changed = List.of(defaultV4m, tenVia253, bigTable, onLink, defaultV6, v6In100);
            plan = RouteState.plan(changed, Routes.read(s, false));
            assertThat(plan).containsExactly(
                    new Step(new Routes.Add(defaultV4m), new Routes.Delete(defaultV4m)),
                    new Step(new Routes.Replace(tenVia253), new Routes.Replace(tenIn100)),
                    new Step(new Routes.Delete(defaultV4), new Routes.Add(defaultV4)));
            new UndoLog().apply(s, plan);
            assertThat(Routes.read(s, true)).containsExactlyInAnyOrderElementsOf(changed);

            // Remove all ours: the foreign routes survive, also the one sharing destination and table with ours.
            plan = RouteState.plan(List.of(), Routes.read(s, false));
            assertThat(plan).hasSize(6).allSatisfy(st -> assertThat(st.operation()).isInstanceOf(Routes.Delete.class));
            new UndoLog().apply(s, plan);
            assertThat(Routes.read(s, true)).isEmpty();
            assertThat(Routes.read(s, false)).containsAll(foreign);
            // The kernel's own prefix routes are read too, tagged proto kernel (2).
            assertThat(Routes.read(s, false)).contains(new Route(Prefix.parse("192.0.2.0/24"), null, "r0", null, 254, 2));
        }
    }

    @Test
    void ourDeleteNeverHitsAForeignRoute() {
        try (TestNamespace ns = TestNamespace.create("routefgn");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            connectedSubnet(s);
            ns.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.254", "proto", "static");
            Route same = Route.to("203.0.113.0/24").via("192.0.2.254");
            assertThatThrownBy(() -> Routes.delete(s, same))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(3); // ESRCH: no route of ours matches
                        assertThat(e.operation()).isEqualTo("ip route del 203.0.113.0/24 via 192.0.2.254 table 254 proto 98");
                    });
            assertThatThrownBy(() -> Routes.add(s, same))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(17));
            assertThat(ns.exec("ip", "route", "show", "203.0.113.0/24")).contains("proto static");
        }
    }

    @Test
    void unreachableGatewayCarriesTheKernelsExplanation() {
        try (TestNamespace ns = TestNamespace.create("routeerr");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            connectedSubnet(s);
            assertThatThrownBy(() -> Routes.add(s, Route.to("10.9.0.0/16").via("10.99.99.99")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.operation()).isEqualTo("ip route add 10.9.0.0/16 via 10.99.99.99 table 254 proto 98");
                        assertThat(e.kernelMessage()).isEqualTo("Nexthop has invalid gateway");
                        assertThat(e.getMessage()).startsWith("ip route add 10.9.0.0/16 via 10.99.99.99 table 254 proto 98: ")
                                .contains("errno " + e.errno()).endsWith(": Nexthop has invalid gateway");
                    });
            assertThatThrownBy(() -> Routes.add(s, Route.to("2001:db8:9::/48").via("2001:db8:99::1")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.operation()).isEqualTo("ip -6 route add 2001:db8:9::/48 via 2001:db8:99::1 table 254 proto 98");
                        // IPv6 refuses with EHOSTUNREACH and, unlike IPv4, no extended-ACK text (ip shows the same).
                        assertThat(e.errno()).isEqualTo(113);
                        assertThat(e.getMessage()).endsWith(": No route to host (errno 113)");
                    });
            assertThat(Routes.read(s, true)).isEmpty();
        }
    }
}
