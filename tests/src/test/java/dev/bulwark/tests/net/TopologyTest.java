package dev.bulwark.tests.net;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The test network itself, before any firewall: what reaches where, so that later tests prove what changed. */
@KernelTest({NETNS, VETH})
class TopologyTest {

    @Test
    void withoutBulwarkTheRouterForwardsButTheWanCannotAnswerTheLan() throws Exception {
        try (Topology t = Topology.create("bwtop")) {
            NetNamespace lan = t.handle(t.lan);
            NetNamespace router = t.handle(t.router);
            NetNamespace wan = t.handle(t.wan);
            assertThat(t.ping(t.lan, Topology.ROUTER_LAN)).isTrue();
            assertThat(t.ping(t.wan, Topology.ROUTER_WAN)).isTrue();
            try (Traffic.TcpServer onRouter = Traffic.tcpServer(router, 2222);
                 Traffic.TcpServer onWan = Traffic.tcpServer(wan, 8080);
                 Traffic.UdpEcho echo = Traffic.udpEcho(router, 5353)) {
                assertThat(Traffic.connect(lan, Topology.ROUTER_LAN, 2222, 1000)).isEqualTo(Traffic.Outcome.CONNECTED);
                assertThat(onRouter.peers(1)).containsExactly(InetAddress.getByName(Topology.LAN_HOST));
                assertThat(Traffic.connect(lan, Topology.ROUTER_LAN, 2223, 1000)).isEqualTo(Traffic.Outcome.REFUSED);
                assertThat(Traffic.udpRoundTrip(lan, Topology.ROUTER_LAN, 5353, 1000)).isTrue();
                // No NAT yet: the WAN host sees the LAN address and has no route back, so the handshake never completes.
                assertThat(Traffic.connect(lan, Topology.WAN_HOST, 8080, 700)).isEqualTo(Traffic.Outcome.TIMEOUT);
                assertThat(Traffic.connect(wan, Topology.ROUTER_WAN, 2222, 1000)).isEqualTo(Traffic.Outcome.CONNECTED);
            }
        }
    }
}
