package dev.bulwark.dataplane.apply;

import static dev.bulwark.dataplane.testing.KernelFeature.BRIDGE;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.AddressState;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.LinkState;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.RouteState;
import dev.bulwark.dataplane.route.Routes;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Principle 4 on the real kernel: a failure midway restores the previous links, addresses and routes. */
@KernelTest({NETNS, VETH, BRIDGE})
class UndoLogKernelTest {

    @Test
    void aRouteFailureUndoesTheLinkAddressAndRouteChangesBeforeIt() {
        try (TestNamespace ns = TestNamespace.create("undo");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            Links.create(s, Link.veth("u0", "u1").withUp(true).withMtu(1500));
            Links.setUp(s, "u1", true);
            Addresses.add(s, Address.of("u0", "192.0.2.1/24"));
            Route existing = Route.to("203.0.113.0/24").via("192.0.2.254").withDevice("u0");
            Routes.add(s, existing);
            List<Link> linksBefore = Links.read(s);
            List<Address> addressesBefore = Addresses.read(s);
            List<Route> routesBefore = withoutLinkLocal(Routes.read(s, false));

            // Desired: a new bridge, u0's MTU lowered, a second address, one reachable route and one whose gateway
            // is on no connected subnet; the existing route of ours goes.
            List<Link> links = List.of(Link.bridge("ubr").withUp(true), Link.veth("u0", "u1").withUp(true).withMtu(1400),
                    Link.veth("u1", "u0").withUp(true).withMtu(1500));
            List<Address> addresses = List.of(Address.of("u0", "192.0.2.1/24"), Address.of("u0", "198.51.100.1/24"));
            Route reachable = Route.to("10.0.0.0/8").via("198.51.100.254").withDevice("u0");
            Route unreachable = Route.to("10.9.0.0/16").via("10.99.99.99");
            List<Step> linkSteps = LinkState.plan(links, Links.read(s), Set.of());
            List<Step> addressSteps = AddressState.plan(addresses, Addresses.read(s), Set.of("u0"));
            List<Step> routeSteps = RouteState.plan(List.of(reachable, unreachable), Routes.read(s, false));
            assertThat(routeSteps).extracting(Step::operation).containsExactly(
                    new Routes.Add(reachable), new Routes.Add(unreachable), new Routes.Delete(existing));

            UndoLog log = new UndoLog();
            log.apply(s, linkSteps);
            log.apply(s, addressSteps);
            assertThat(Links.read(s)).contains(Link.bridge("ubr").withUp(true).withMtu(1500), links.get(1));
            assertThatThrownBy(() -> log.apply(s, routeSteps))
                    .isInstanceOfSatisfying(ApplyException.class, e -> {
                        assertThat(e.failed()).isEqualTo(new Routes.Add(unreachable));
                        assertThat(e.getCause()).isInstanceOfSatisfying(NetlinkException.class,
                                c -> assertThat(c.kernelMessage()).isEqualTo("Nexthop has invalid gateway"));
                        assertThat(e.rolledBack()).isTrue();
                        // Newest first; the refused step itself is not undone.
                        assertThat(e.undone()).containsExactly(
                                new Routes.Delete(reachable),
                                new Addresses.Delete(Address.of("u0", "198.51.100.1/24")),
                                new Links.Delete("ubr"),
                                new Links.SetMtu("u0", 1500));
                        assertThat(e.getMessage()).startsWith("ip route add 10.9.0.0/16 via 10.99.99.99 table 254 proto 98: ")
                                .contains("Nexthop has invalid gateway").endsWith("rolled back 4 undo operations, the previous state is restored");
                    });
            assertThat(log.isEmpty()).isTrue();
            assertThat(Links.read(s)).containsExactlyElementsOf(linksBefore);
            assertThat(Addresses.read(s)).containsExactlyInAnyOrderElementsOf(addressesBefore);
            assertThat(withoutLinkLocal(Routes.read(s, false))).containsExactlyInAnyOrderElementsOf(routesBefore);
        }
    }

    /** The kernel adds each link's fe80::/64 route on its own, whenever IPv6 autoconfiguration gets to it. */
    private static List<Route> withoutLinkLocal(List<Route> routes) {
        return routes.stream().filter(r -> !r.destination().toString().equals("fe80::/64")).toList();
    }

    @Test
    void anUndoThatFailsIsReportedAndTheRestStillRuns() {
        try (TestNamespace ns = TestNamespace.create("undofail");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            UndoLog log = new UndoLog();
            log.apply(s, LinkState.plan(List.of(Link.bridge("x0"), Link.bridge("x1")), Links.read(s), Set.of()));
            Links.delete(s, "x1"); // someone else removes x1: its undo (delete x1) will fail
            List<RuntimeException> failures = log.rollback();
            assertThat(failures).singleElement().isInstanceOfSatisfying(NetlinkException.class, e -> {
                assertThat(e.operation()).isEqualTo("ip link del x1");
                assertThat(e.errno()).isEqualTo(19);
            });
            assertThat(Links.read(s)).extracting(Link::name).containsExactly("lo");
        }
    }
}
