package dev.bulwark.dataplane.monitor;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.NftNotice;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.Routes;
import dev.bulwark.dataplane.testing.KernelTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The kernel's notifications in a throwaway namespace, as the drift watcher reads them: links, addresses, routes and
 * nftables changes made by {@code ip} and {@code nft} arrive parsed, with the port of the socket that made them, and a
 * change made through one of our own sockets carries that socket's port.
 */
@KernelTest({NETNS, VETH, NFTABLES, NFT_CLI})
class KernelMonitorTest {

    /** Polls until a change matching {@code p} arrives (5 s at most); returns everything read. */
    static List<KernelChange> await(KernelMonitor m, List<KernelChange> seen, Predicate<KernelChange> p) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until) {
            if (seen.stream().anyMatch(p)) return seen;
            seen.addAll(m.poll(Duration.ofMillis(100)));
        }
        throw new AssertionError("no matching change within 5 s; seen: " + seen);
    }

    @Test
    void announcesLinksAddressesRoutesAndNftChangesWithTheCausingPort() {
        try (TestNamespace ns = TestNamespace.create("mon"); KernelMonitor m = KernelMonitor.open(ns.name())) {
            List<KernelChange> seen = new ArrayList<>();
            ns.exec("ip", "link", "add", "m0", "type", "veth", "peer", "name", "m1");
            ns.exec("ip", "link", "set", "m0", "up");
            await(m, seen, c -> c instanceof KernelChange.LinkChanged l && !l.removed() && l.link().name().equals("m0") && l.link().up());

            ns.exec("ip", "address", "add", "192.0.2.1/24", "dev", "m0");
            await(m, seen, c -> c instanceof KernelChange.AddressChanged a && !a.removed()
                    && a.address().equals(Address.of("m0", "192.0.2.1/24")) && a.port() != 0);

            ns.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.254", "proto", "static");
            await(m, seen, c -> c instanceof KernelChange.RouteChanged r && !r.removed() && r.route().protocol() == 4
                    && r.route().destination().toString().equals("198.51.100.0/24") && "m0".equals(r.route().device()) && r.port() != 0);

            ns.exec("nft", "add", "table", "ip", "foreign");
            await(m, seen, c -> c instanceof KernelChange.NftChanged n && n.notice().kind() == NftNotice.Kind.TABLE
                    && n.notice().table().equals("foreign") && !n.notice().concerns(Table.inet(Table.BULWARK)) && n.port() != 0);
            await(m, seen, c -> c instanceof KernelChange.NftChanged n && n.notice().kind() == NftNotice.Kind.GENERATION
                    && "nft".equals(n.notice().processName()));

            ns.exec("nft", "add", "table", "inet", "bulwark");
            ns.exec("nft", "add", "chain", "inet", "bulwark", "input", "{ type filter hook input priority 0; }");
            ns.exec("nft", "add", "rule", "inet", "bulwark", "input", "accept");
            ns.exec("nft", "flush", "table", "inet", "bulwark");
            await(m, seen, c -> c instanceof KernelChange.NftChanged n && n.notice().kind() == NftNotice.Kind.RULE && n.notice().removed()
                    && n.notice().concerns(Table.inet(Table.BULWARK)));

            ns.exec("ip", "link", "set", "m0", "name", "m9");
            await(m, seen, c -> c instanceof KernelChange.LinkChanged l && "m0".equals(l.formerName()) && l.link().name().equals("m9"));
            ns.exec("ip", "link", "del", "m9");
            await(m, seen, c -> c instanceof KernelChange.LinkChanged l && l.removed() && l.link().name().equals("m9"));
        }
    }

    @Test
    void aChangeThroughOurOwnSocketCarriesItsPort() {
        try (TestNamespace ns = TestNamespace.create("monown");
             KernelMonitor m = KernelMonitor.open(ns.name());
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            ns.exec("ip", "link", "add", "m0", "type", "veth", "peer", "name", "m1");
            ns.exec("ip", "link", "set", "m0", "up");
            ns.exec("ip", "address", "add", "192.0.2.1/24", "dev", "m0");
            Route ours = Route.to("203.0.113.0/24").via("192.0.2.254");
            Routes.add(s, ours);
            List<KernelChange> seen = await(m, new ArrayList<>(), c -> c instanceof KernelChange.RouteChanged r && r.route().ours());
            KernelChange.RouteChanged added = seen.stream().filter(c -> c instanceof KernelChange.RouteChanged r && r.route().ours())
                    .map(KernelChange.RouteChanged.class::cast).findFirst().orElseThrow();
            assertThat(added.port()).isEqualTo(s.portId());
            assertThat(added.removed()).isFalse();
            assertThat(added.route().gateway()).isEqualTo(ours.gateway());
        }
    }
    @Test
    void nftablesNotificationsPauseAroundOurOwnApplyAndAChangeByOthersMeanwhileIsReported() {
        try (TestNamespace ns = TestNamespace.create("monpause");
             KernelMonitor m = KernelMonitor.open(ns.name());
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_NETFILTER)) {
            Table t = Table.inet(Table.BULWARK);
            dev.bulwark.dataplane.nft.NftApplier applier = new dev.bulwark.dataplane.nft.NftApplier(s, t);
            dev.bulwark.dataplane.nft.NftRuleset r = new dev.bulwark.dataplane.nft.NftRuleset(t,
                    java.util.Map.of("c", dev.bulwark.dataplane.nft.Chain.regular("c")), java.util.Map.of(), java.util.Map.of(), java.util.Map.of());

            // Our own apply while paused: nothing announced, nothing missed.
            m.pauseNftables();
            applier.applyFull(r);
            m.resumeNftables(1);
            List<KernelChange> quiet = new ArrayList<>();
            for (int i = 0; i < 5; i++) quiet.addAll(m.poll(Duration.ofMillis(50)));
            assertThat(quiet).as("no notification of our paused apply, no overflow").isEmpty();

            // Someone else's change during a pause: reported as an nftables overflow (what changed is unknown).
            m.pauseNftables();
            ns.exec("nft", "add", "table", "ip", "foreign");
            m.resumeNftables(0);
            List<KernelChange> seen = new ArrayList<>();
            await(m, seen, c -> c instanceof KernelChange.Overflowed o && o.socket().equals("nftables"));

            // Listening again: changes are announced as before.
            ns.exec("nft", "add", "table", "ip", "other");
            await(m, seen, c -> c instanceof KernelChange.NftChanged n && n.notice().kind() == NftNotice.Kind.TABLE
                    && n.notice().table().equals("other"));
        }
    }
}
