package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.conntrack.KernelSysctls;
import dev.bulwark.dataplane.port.SysctlPort;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.port.NftPort;
import dev.bulwark.dataplane.port.KernelDataplane;
import static dev.bulwark.control.reconcile.ReconcilerFaultInjectionTest.example;
import static dev.bulwark.control.reconcile.ReconcilerFaultInjectionTest.yaml;
import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reconciler on the real kernel, in a throwaway namespace with veth devices eth0 and eth1: apply, read back,
 * no-op; a cross-subsystem failure (a route whose gateway is unreachable, after the nft batch went in) leaves the nft
 * table, links, addresses and routes as they were; drift is repaired by a resync.
 */
@KernelTest({NETNS, VETH, NFTABLES, NFT_CLI, CONNTRACK})
class ReconcilerKernelTest {

    /** What the kernel holds, read by a dataplane of its own (not the reconciler's memory). */
    record Snapshot(NftRuleset nft, Map<String, Link> links, Set<Address> addresses, Set<Route> routes, String nftText) {
    }

    static Snapshot snapshot(TestNamespace ns) {
        try (KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Map<String, Link> links = new TreeMap<>();
            NetworkPort net = dp.port(NetworkPort.KIND);
            for (Link l : net.links()) links.put(l.name(), l);
            var text = ns.tryExec("nft", "list", "table", "inet", "bulwark");
            var nft = dp.port(NftPort.KIND).read();
            return new Snapshot(nft == null ? null : nft.ruleset(), links, new HashSet<>(net.addresses()), new HashSet<>(net.ourRoutes()),
                    text.code() == 0 ? text.output() : "no table: " + text.output());
        }
    }

    static TestNamespace router() {
        TestNamespace ns = TestNamespace.create("rec");
        ns.exec("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
        ns.exec("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        return ns;
    }

    static String homeRouter() throws Exception {
        return Files.readString(Path.of("..", "examples", "home-router.yaml"));
    }

    /**
     * Home-router changed in every subsystem: an admin more (one nft element), or with {@code anonymous} also other
     * ICMPv6 types (an anonymous set, changed as a delta); a second LAN address; a UDP timeout; and a
     * route through a gateway on no connected subnet, which the kernel refuses after the rest of the network is done.
     */
    static DesiredState withUnreachableGateway(boolean anonymous) throws Exception {
        String y = homeRouter()
                .replace("elements: [192.168.1.10]", "elements: [192.168.1.10, 192.168.1.11]")
                .replace("addresses: [192.168.1.1/24,", "addresses: [192.168.1.1/24, 192.168.2.1/24,")
                .replace("udp: 30", "udp: 45")
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 10.99.99.99 }");
        if (anonymous) y = y.replace("icmp-type: [echo-request, nd-neighbor-solicit,", "icmp-type: [echo-request, echo-reply, nd-neighbor-solicit,");
        return yaml(y);
    }

    @Test
    void appliesReadsBackEqualAndANoOpSendsAndReadsNothing() throws Exception {
        // a table size other than the host's, which a child namespace cannot set
        String host = TestNamespace.run("sysctl", "-n", "net.netfilter.nf_conntrack_max").strip();
        String max = host.equals("131072") ? "65536" : "131072";
        DesiredState home = yaml(homeRouter().replace("max: 262144", "max: " + max));
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Reconciler r = new Reconciler(dp);
            Reconciler.Applied a = r.apply(home);
            assertThat(a.changed()).isTrue();
            assertThat(a.warnings()).anySatisfy(w -> assertThat(w).startsWith("conntrack max " + max + " not set in namespace " + ns.name()
                    + ": the kernel allows nf_conntrack_max only in the initial namespace (it stays " + host + ")"));
            assertThat(snapshot(ns).nft()).isEqualTo(home.nft().ruleset());
            assertThat(ns.exec("ip", "route", "show", "proto", "98")).contains("default via 203.0.113.1 dev eth0");
            assertThat(ns.exec("sysctl", "-n", "net.netfilter.nf_conntrack_tcp_timeout_established").strip()).isEqualTo("3600");

            long changes = dp.changesSent();
            long messages = dp.messagesSent();
            long sysctls = ((KernelSysctls) dp.port(SysctlPort.KIND)).accesses();
            assertThat(r.apply(home).changed()).isFalse();
            assertThat(dp.changesSent()).as("changes sent by a no-op").isEqualTo(changes);
            assertThat(dp.messagesSent()).as("messages (reads included) sent by a no-op").isEqualTo(messages);
            assertThat(((KernelSysctls) dp.port(SysctlPort.KIND)).accesses()).as("sysctl files read by a no-op").isEqualTo(sysctls);

            // read everything back: the kernel matches
            Plan check = r.check(home);
            assertThat(check.isEmpty()).as(check.text()).isTrue();
        }
    }

    @ParameterizedTest(name = "anonymous set changed: {0}")
    @ValueSource(booleans = {false, true})
    void anUnreachableGatewayAfterTheNftBatchRestoresEverything(boolean anonymous) throws Exception {
        DesiredState home = example("home-router.yaml");
        DesiredState bad = withUnreachableGateway(anonymous);
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Reconciler r = new Reconciler(dp);
            r.apply(home);
            Snapshot before = snapshot(ns);
            String udp = ns.exec("sysctl", "-n", "net.netfilter.nf_conntrack_udp_timeout");

            Plan plan = r.plan(bad);
            // Anonymous sets change piecemeal too: the rule that owns one is replaced by handle, never the whole table.
            assertThat(plan.section("nft").summary()).doesNotContain("replaces the table whole");
            assertThat(plan.text()).contains("+ address 192.168.2.1/24 dev eth1", "+ route 10.9.0.0/16 via 10.99.99.99 (table main)");

            ReconcileException e = catchThrowableOfType(ReconcileException.class, () -> r.apply(bad));
            assertThat(e).isNotNull();
            System.out.println(e.getMessage());
            assertThat(e.subsystem()).isEqualTo("network");
            assertThat(e.failed()).isEqualTo("+ route 10.9.0.0/16 via 10.99.99.99 (table main)");
            assertThat(e.errno()).isEqualTo(101); // ENETUNREACH
            assertThat(e.kernelMessage()).contains("gateway");
            assertThat(e.restored()).isTrue();
            assertThat(e.undone()).isEqualTo(2); // the address, then the nft batch
            assertThat(e.getMessage()).contains("ip route add 10.9.0.0/16 via 10.99.99.99", "errno 101", "the previous state is restored");

            Snapshot after = snapshot(ns);
            assertThat(after.nft()).isEqualTo(before.nft());
            assertThat(after.nftText()).isEqualTo(before.nftText());
            assertThat(after.links()).isEqualTo(before.links());
            assertThat(after.addresses()).isEqualTo(before.addresses());
            assertThat(after.routes()).isEqualTo(before.routes());
            assertThat(ns.exec("sysctl", "-n", "net.netfilter.nf_conntrack_udp_timeout")).isEqualTo(udp);

            // the next reconcile is a full resync, and converges to what it was asked
            assertThat(r.knowsLiveState()).isFalse();
            assertThat(r.apply(home).changed()).isFalse();
        }
    }

    @Test
    void aFailureOnTheFirstApplyLeavesNoTableAndTheLinksAsTheyWere() throws Exception {
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Snapshot before = snapshot(ns);
            assertThat(before.nft()).isNull();
            ReconcileException e = catchThrowableOfType(ReconcileException.class, () -> new Reconciler(dp).apply(withUnreachableGateway(false)));
            assertThat(e.restored()).isTrue();
            Snapshot after = snapshot(ns);
            assertThat(after.nft()).isNull();
            assertThat(after.links()).isEqualTo(before.links());
            assertThat(after.links().get("eth0").up()).isFalse();
            assertThat(after.addresses()).isEqualTo(before.addresses());
            assertThat(after.routes()).isEmpty();
        }
    }

    @Test
    void smallChangesGoAsDeltasAndTheKernelMatches() throws Exception {
        DesiredState home = example("home-router.yaml");
        DesiredState more = ReconcilerFaultInjectionTest.homeWithExtraRoute();
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Reconciler r = new Reconciler(dp);
            r.apply(home);
            Plan p = r.apply(more).plan();
            assertThat(p.section("nft").operations()).isEqualTo(1);
            assertThat(ns.exec("nft", "list", "set", "inet", "bulwark", "set_admins")).contains("192.168.1.10, 192.168.1.11");
            assertThat(r.check(more).isEmpty()).isTrue();
            // and back, through the anonymous-set-free delta
            assertThat(r.apply(home).plan().section("nft").operations()).isEqualTo(1);
            assertThat(r.check(home).isEmpty()).isTrue();
        }
    }

    @Test
    void aRouteTheKernelDropsWithItsSubnetsAddressIsPutBack() throws Exception {
        DesiredState before = ReconcilerFaultInjectionTest.homeWithExtraRoute();
        DesiredState moved = yaml(homeRouter()
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 192.168.1.254 }")
                .replace("addresses: [192.168.1.1/24,", "addresses: [192.168.1.2/24,"));
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Reconciler r = new Reconciler(dp);
            r.apply(before);
            r.apply(moved);
            assertThat(ns.exec("ip", "route", "show", "proto", "98")).contains("10.9.0.0/16 via 192.168.1.254 dev eth1");
            assertThat(r.check(moved).isEmpty()).isTrue();
        }
    }

    @Test
    void aResyncRepairsWhatWasChangedFromOutside() {
        DesiredState home = example("home-router.yaml");
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Reconciler r = new Reconciler(dp);
            r.apply(home);
            ns.exec("nft", "flush", "table", "inet", "bulwark");
            ns.exec("ip", "route", "del", "default", "via", "203.0.113.1", "proto", "98");
            Plan repairs = r.resync(home).plan();
            assertThat(repairs.section("network").changes()).extracting(Change::toString)
                    .containsExactly("+ route default via 203.0.113.1 (table main)");
            assertThat(repairs.section("nft").changes()).isNotEmpty();
            assertThat(snapshot(ns).nft()).isEqualTo(home.nft().ruleset());
            assertThat(r.check(home).isEmpty()).isTrue();
        }
    }
}
