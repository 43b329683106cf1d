package dev.bulwark.control.conntrack;

import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.port.ConntrackPort;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.dataplane.testing.KernelTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's conntrack table backed by the dataplane's conntrack port (ctnetlink) in a throwaway namespace: list with filters, filtered flush. */
@KernelTest({NETNS, NFTABLES, NFT_CLI, CONNTRACK})
class PortConntrackTableTest {

    @Test
    void listsFiltersAndFlushesTheNamespacesEntries() throws Exception {
        try (TestNamespace t = TestNamespace.create("ctt"); NetNamespace ns = NetNamespace.named(t.name());
             KernelDataplane dp = KernelDataplane.open(t.name())) {
            PortConntrackTable table = new PortConntrackTable(dp.port(ConntrackPort.KIND));
            // conntrack tracks flows once a ct rule exists in the namespace
            t.exec("nft", "add table inet t; add chain inet t c { type filter hook output priority 0; }; add rule inet t c ct state new accept");
            DatagramSocket s = ns.call(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            try (s) {
                for (int port : new int[]{5001, 5002, 5003}) {
                    s.send(new DatagramPacket(new byte[]{1}, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                }
            }
            List<ConntrackEntry> all = new ArrayList<>();
            assertThat(table.list(ConntrackFilter.ALL, all::add)).isEqualTo(3);
            assertThat(all).allSatisfy(e -> {
                assertThat(e.protocol()).isEqualTo("udp");
                assertThat(e.family()).isEqualTo(4);
            });
            List<ConntrackEntry> one = new ArrayList<>();
            table.list(new ConntrackFilter(null, 5002, "udp"), one::add);
            assertThat(one).singleElement().satisfies(e -> assertThat(e.original().destinationPort()).isEqualTo(5002));
            assertThat(table.list(new ConntrackFilter(null, null, "tcp"), e -> { })).isZero();

            assertThat(table.flush(new ConntrackFilter(null, 5001, null))).isEqualTo(1);
            assertThat(table.list(ConntrackFilter.ALL, e -> { })).isEqualTo(2);
            table.flush(ConntrackFilter.ALL);
            assertThat(table.list(ConntrackFilter.ALL, e -> { })).isZero();
        }
    }
}
