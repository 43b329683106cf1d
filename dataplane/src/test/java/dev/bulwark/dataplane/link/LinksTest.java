package dev.bulwark.dataplane.link;

import static dev.bulwark.dataplane.testing.KernelFeature.BRIDGE;
import static dev.bulwark.dataplane.testing.KernelFeature.DUMMY;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static dev.bulwark.dataplane.testing.KernelFeature.VLAN_8021Q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.apply.Step;
import dev.bulwark.dataplane.apply.UndoLog;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Kernel round trips for links in throwaway namespaces: apply, read back, change, read back, remove, read back. */
@KernelTest(NETNS)
class LinksTest {

    static final Link LO = Link.device("lo").withUp(true).withMtu(65536);
    static final int EOPNOTSUPP = 95;

    /** The links other than lo. */
    static List<Link> links(NetlinkSocket s) {
        return Links.read(s).stream().filter(l -> !l.name().equals("lo")).toList();
    }

    static void apply(NetlinkSocket s, List<Step> steps) {
        new UndoLog().apply(s, steps);
    }

    @KernelTest({VETH, BRIDGE})
    @Test
    void bridgeWithVethPortRoundTrip() {
        try (TestNamespace ns = TestNamespace.create("link");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            assertThat(Links.read(s)).containsExactly(LO);

            Link br = Link.bridge("br0").withUp(true).withMtu(1500);
            Link v0 = Link.veth("v0", "v1").withUp(true).withMtu(1500).withMaster("br0");
            Link v1 = Link.veth("v1", "v0").withUp(true).withMtu(1500);
            List<Step> plan = LinkState.plan(List.of(br, v0, v1), Links.read(s), Set.of());
            // The bridge first; one request creates the pair; the peer end is then configured (no undo of its own:
            // deleting the pair undoes it).
            assertThat(plan).containsExactly(
                    new Step(new Links.Create(br), new Links.Delete("br0")),
                    new Step(new Links.Create(v1), new Links.Delete("v1")),
                    new Step(new Links.SetMtu("v0", 1500)),
                    new Step(new Links.SetMaster("v0", "br0")),
                    new Step(new Links.SetUp("v0", true)));
            apply(s, plan);
            assertThat(links(s)).containsExactlyInAnyOrder(br, v0, v1);
            assertThat(ns.exec("ip", "-d", "link", "show", "v0")).contains("master br0").contains("veth");

            // Nothing to do: nothing sent.
            long sent = s.messagesSent();
            List<Step> noop = LinkState.plan(List.of(br, v0, v1), Links.read(s), Set.of("br0", "v0", "v1"));
            assertThat(noop).isEmpty();
            apply(s, noop);
            assertThat(s.messagesSent()).isEqualTo(sent + 1); // the read only

            // Change: bridge MTU, one end down, the port leaves the bridge.
            Link br2 = br.withMtu(1400);
            Link v0b = v0.withMaster(null);
            Link v1b = v1.withUp(false);
            plan = LinkState.plan(List.of(br2, v0b, v1b), Links.read(s), Set.of("br0", "v0", "v1"));
            assertThat(plan).containsExactly(
                    new Step(new Links.SetMtu("br0", 1400), new Links.SetMtu("br0", 1500)),
                    new Step(new Links.SetMaster("v0", null), new Links.SetMaster("v0", "br0")),
                    new Step(new Links.SetUp("v1", false), new Links.SetUp("v1", true)));
            apply(s, plan);
            List<Link> changed = links(s);
            assertThat(changed).containsExactlyInAnyOrder(br2, v0b, v1b);

            // Remove all: the bridge, and the pair with one request. Roll the removal back once to prove its undo
            // brings back exactly what was there, then remove for good.
            plan = LinkState.plan(List.of(), Links.read(s), Set.of("br0", "v0", "v1"));
            assertThat(plan).extracting(Step::operation).containsExactly(new Links.Delete("br0"), new Links.Delete("v0"));
            UndoLog removal = new UndoLog();
            removal.apply(s, plan);
            assertThat(Links.read(s)).containsExactly(LO);
            assertThat(removal.rollback()).isEmpty();
            assertThat(links(s)).containsExactlyInAnyOrderElementsOf(changed);
            apply(s, LinkState.plan(List.of(), Links.read(s), Set.of("br0", "v0", "v1")));
            assertThat(Links.read(s)).containsExactly(LO);
        }
    }

    @KernelTest({VETH, BRIDGE})
    @Test
    void operationsOneByOne() {
        try (TestNamespace ns = TestNamespace.create("linkop");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            Links.create(s, Link.bridge("b1"));
            Links.create(s, Link.veth("p0", "p1").withMtu(9000).withMaster("b1").withUp(true));
            assertThat(links(s)).containsExactlyInAnyOrder(
                    Link.bridge("b1").withMtu(9000), // a bridge takes its first port's MTU
                    Link.veth("p0", "p1").withMtu(9000).withMaster("b1").withUp(true),
                    Link.veth("p1", "p0").withMtu(1500));
            Links.setUp(s, "b1", true);
            Links.setMtu(s, "p1", 1280);
            Links.setMaster(s, "p1", "b1");
            Links.setMaster(s, "p0", null);
            assertThat(links(s)).containsExactlyInAnyOrder(
                    Link.bridge("b1").withMtu(1280).withUp(true),
                    Link.veth("p0", "p1").withMtu(9000).withUp(true),
                    Link.veth("p1", "p0").withMtu(1280).withMaster("b1"));
            Links.delete(s, "p1"); // takes p0 with it
            Links.delete(s, "b1");
            assertThat(Links.read(s)).containsExactly(LO);
        }
    }

    @KernelTest(BRIDGE)
    @Test
    void kernelErrorsNameTheIpCommand() {
        try (TestNamespace ns = TestNamespace.create("linkerr");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            Links.create(s, Link.bridge("e0"));
            assertThatThrownBy(() -> Links.create(s, Link.bridge("e0")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(17);
                        assertThat(e.operation()).isEqualTo("ip link add name e0 type bridge");
                    });
            // The kernel explains a refused MTU in its extended ACK.
            assertThatThrownBy(() -> Links.setMtu(s, "e0", 10))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.operation()).isEqualTo("ip link set e0 mtu 10");
                        assertThat(e.kernelMessage()).contains("mtu less than device minimum");
                        assertThat(e.getMessage()).isEqualTo("ip link set e0 mtu 10: Invalid argument (errno 22): " + e.kernelMessage());
                    });
            assertThatThrownBy(() -> Links.setMaster(s, "e0", "nosuch"))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(19);
                        assertThat(e.operation()).isEqualTo("ip link set e0 master nosuch (looking up device nosuch)");
                    });
            assertThatThrownBy(() -> Links.setUp(s, "nosuch", true))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(19);
                        assertThat(e.operation()).isEqualTo("ip link set nosuch up");
                    });
            assertThatThrownBy(() -> Links.delete(s, "nosuch"))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.operation()).isEqualTo("ip link del nosuch"));
            assertThat(links(s)).containsExactly(Link.bridge("e0").withMtu(1500));
        }
    }

    @KernelTest({VETH, VLAN_8021Q})
    @Test
    void vlanRoundTripOrSkipWithoutKernelSupport() {
        try (TestNamespace ns = TestNamespace.create("vlan");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            Link parent = Link.veth("t0", "t1").withUp(true).withMtu(1500);
            Link vlan = Link.vlan("t0.20", "t0", 20).withUp(true).withMtu(1500);
            Links.create(s, parent);
            try {
                Links.create(s, vlan);
            } catch (NetlinkException e) {
                if (e.errno() != EOPNOTSUPP) throw e;
                String reason = "SKIPPED VLAN round trip: this kernel cannot create 802.1Q VLAN links (8021q missing): " + e.getMessage();
                System.out.println(reason);
                assertThat(e.operation()).isEqualTo("ip link add link t0 name t0.20 mtu 1500 up type vlan id 20");
                Assumptions.abort(reason);
            }
            assertThat(links(s)).contains(vlan);
            Links.setMtu(s, "t0.20", 1400);
            Links.setUp(s, "t0.20", false);
            assertThat(links(s)).contains(vlan.withMtu(1400).withUp(false));
            // Another id is another link: the planner recreates an owned VLAN.
            Link vlan30 = Link.vlan("t0.20", "t0", 30).withUp(true);
            List<Step> plan = LinkState.plan(List.of(parent, Link.veth("t1", "t0").withMtu(1500), vlan30), Links.read(s), Set.of("t0.20"));
            assertThat(plan).extracting(Step::operation).containsExactly(new Links.Delete("t0.20"), new Links.Create(vlan30));
            apply(s, plan);
            assertThat(links(s)).contains(vlan30.withMtu(1500));
            Links.delete(s, "t0.20");
            Links.delete(s, "t0");
            assertThat(Links.read(s)).containsExactly(LO);
        }
    }

    @KernelTest(DUMMY)
    @Test
    void dummyRoundTripOrSkipWithoutKernelSupport() {
        try (TestNamespace ns = TestNamespace.create("dummy");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            Link d = Link.dummy("d0").withUp(true).withMtu(1500);
            try {
                Links.create(s, d);
            } catch (NetlinkException e) {
                if (e.errno() != EOPNOTSUPP) throw e;
                String reason = "SKIPPED dummy link round trip: this kernel has no dummy link driver: " + e.getMessage();
                System.out.println(reason);
                Assumptions.abort(reason);
            }
            assertThat(links(s)).containsExactly(d);
            Links.setMtu(s, "d0", 9000);
            assertThat(links(s)).containsExactly(d.withMtu(9000));
            Links.delete(s, "d0");
            assertThat(Links.read(s)).containsExactly(LO);
        }
    }
}
