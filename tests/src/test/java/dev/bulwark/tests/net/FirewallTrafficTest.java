package dev.bulwark.tests.net;

import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.reconcile.Reconciler;
import dev.bulwark.control.compile.NftCompileResult;
import dev.bulwark.control.compile.NftCompiler;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.dataplane.testing.KernelTest;
import dev.bulwark.tests.net.Traffic.Outcome;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Configs compiled and applied by Bulwark's own netlink path to the router namespace, proven by real packets between
 * the LAN host, the router and the WAN host (see {@link Topology}). Timeouts are short and bounded: a dropped
 * connection attempt waits 700 ms.
 */
@KernelTest({NETNS, VETH, NFTABLES, CONNTRACK})
class FirewallTrafficTest {

    static final int DROP_WAIT_MS = 700;
    static final int CONNECT_MS = 2000;

    static Config config(String yaml) {
        LoadResult r = ConfigLoader.parse(yaml, Format.YAML);
        assertThat(r.errors()).as("config errors").isEmpty();
        return r.config();
    }

    static Config homeRouter(String... replacements) throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "home-router.yaml"));
        for (int i = 0; i < replacements.length; i += 2) {
            assertThat(yaml).contains(replacements[i]);
            yaml = yaml.replace(replacements[i], replacements[i + 1]);
        }
        return config(yaml);
    }

    /**
     * Applies the whole config (nftables, links, addresses, routes, conntrack sysctls) to the router namespace the way
     * the engine does: compiled, then reconciled over netlink, all or nothing.
     */
    static void apply(Topology t, Config config) {
        NftCompileResult compiled = NftCompiler.compile(config);
        assertThat(compiled.errors()).as("compile errors").isEmpty();
        try (KernelDataplane dp = KernelDataplane.open(t.router)) {
            new Reconciler(dp).apply(Compiler.compile(config));
        }
    }

    @Test
    void homeRouterZonesMasqueradeAndPortForwardWithHairpin() throws Exception {
        try (Topology t = Topology.create("bwfw")) {
            t.exec(t.lan, "ip", "addr", "add", "192.168.1.20/24", "dev", "lan0");
            apply(t, homeRouter());
            NetNamespace lan = t.handle(t.lan);
            NetNamespace router = t.handle(t.router);
            NetNamespace wan = t.handle(t.wan);
            try (Traffic.TcpServer routerSsh = Traffic.tcpServer(router, 22);
                 Traffic.TcpServer wanWeb = Traffic.tcpServer(wan, 8080);
                 Traffic.TcpServer lanWeb = Traffic.tcpServer(lan, 8443)) {
                // Zone policy: lan input accept, wan input drop.
                assertThat(Traffic.connect(lan, Topology.ROUTER_LAN, 22, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
                assertThat(Traffic.connect(wan, Topology.ROUTER_WAN, 22, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
                // lan -> wan accepted and masqueraded: the WAN host sees the router's address.
                assertThat(Traffic.connect(lan, Topology.WAN_HOST, 8080, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
                assertThat(wanWeb.peers(1)).containsExactly(InetAddress.getByName(Topology.ROUTER_WAN));
                // wan -> lan is forwarded only through the port-forward 443 -> 192.168.1.20:8443.
                assertThat(Traffic.connect(wan, Topology.ROUTER_WAN, 443, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
                assertThat(lanWeb.peers(1)).containsExactly(InetAddress.getByName(Topology.WAN_HOST));
                // A WAN host that routes the LAN prefix at the router directly still gets nothing but the forward.
                t.exec(t.wan, "ip", "route", "add", "192.168.1.0/24", "via", Topology.ROUTER_WAN);
                assertThat(Traffic.connect(wan, "192.168.1.20", 8443, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
                assertThat(Traffic.connect(wan, Topology.ROUTER_WAN, 8443, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
                // Hairpin: the LAN host reaches the forward at the router's public address.
                assertThat(Traffic.connect(lan, Topology.ROUTER_WAN, 443, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
                // ICMP echo from the WAN is accepted by the rate-limited ping rule.
                assertThat(t.ping(t.wan, Topology.ROUTER_WAN)).isTrue();
            }
        }
    }

    @Test
    void ruleOnASetRejectVersusDropAndRateLimit() throws Exception {
        Config c = homeRouter(
                "lan: { interfaces: [lan], input: accept, forward: drop }", "lan: { interfaces: [lan], input: drop, forward: drop }",
                "- { name: ping, from: wan, to: self, protocol: icmp, icmp-type: echo-request, limit: 10/second, action: accept }",
                "- { name: ping, from: wan, to: self, protocol: icmp, icmp-type: echo-request, limit: { rate: 1/minute, burst: 2 }, action: accept }\n"
                        + "    - { name: closed, from: lan, to: self, protocol: tcp, port: 23, action: reject }");
        try (Topology t = Topology.create("bwset")) {
            t.exec(t.lan, "ip", "addr", "add", "192.168.1.11/24", "dev", "lan0");
            apply(t, c);
            NetNamespace lan = t.handle(t.lan);
            NetNamespace router = t.handle(t.router);
            try (Traffic.TcpServer ssh = Traffic.tcpServer(router, 22); Traffic.TcpServer telnet = Traffic.tcpServer(router, 23)) {
                // ssh-admins: source @admins (192.168.1.10) may connect; 192.168.1.11 is not in the set and meets the drop policy.
                assertThat(Traffic.connectFrom(lan, "192.168.1.10", Topology.ROUTER_LAN, 22, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
                assertThat(Traffic.connectFrom(lan, "192.168.1.11", Topology.ROUTER_LAN, 22, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
                // reject answers at once (connection refused); drop leaves the client waiting.
                assertThat(Traffic.connect(lan, Topology.ROUTER_LAN, 23, CONNECT_MS)).isEqualTo(Outcome.REFUSED);
                assertThat(Traffic.connect(lan, Topology.ROUTER_LAN, 24, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
            }
            // limit 1/minute burst 2: of 6 pings, the burst gets through and the rest is dropped. Each ping is its own
            // process (its own ICMP id), so conntrack sees 6 new flows instead of one established one.
            int answered = 0;
            for (int i = 0; i < 6; i++) if (t.ping(t.wan, Topology.ROUTER_WAN)) answered++;
            assertThat(answered).isBetween(1, 3);
        }
    }

    @Test
    void oneToOneNatMapsBothDirections() throws Exception {
        Config c = homeRouter(
                "addresses: [203.0.113.2/24]", "addresses: [203.0.113.2/24, 203.0.113.10/24]",
                "  port-forwards:", "  one-to-one:\n    - { name: server, in: wan, external: 203.0.113.10, internal: 192.168.1.20 }\n  port-forwards:",
                "- { from: lan, to: wan, action: accept }", "- { from: lan, to: wan, action: accept }\n    - { from: wan, to: lan, action: accept }");
        try (Topology t = Topology.create("bw11")) {
            t.exec(t.lan, "ip", "addr", "add", "192.168.1.20/24", "dev", "lan0");
            apply(t, c);
            NetNamespace lan = t.handle(t.lan);
            NetNamespace wan = t.handle(t.wan);
            try (Traffic.TcpServer inside = Traffic.tcpServer(lan, 9000); Traffic.TcpServer outside = Traffic.tcpServer(wan, 9001)) {
                assertThat(Traffic.connect(wan, "203.0.113.10", 9000, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
                assertThat(inside.peers(1)).containsExactly(InetAddress.getByName(Topology.WAN_HOST));
                assertThat(Traffic.connectFrom(lan, "192.168.1.20", Topology.WAN_HOST, 9001, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
                assertThat(outside.peers(1)).containsExactly(InetAddress.getByName("203.0.113.10"));
            }
        }
    }
}
