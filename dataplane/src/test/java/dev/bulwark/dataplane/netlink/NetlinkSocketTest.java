package dev.bulwark.dataplane.netlink;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetlinkSocketTest {

    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWLINK = 16;
    private static final int IFLA_IFNAME = 3;

    static List<String> linkNames(NetlinkSocket s) {
        try (MessageBuilder m = new MessageBuilder(64, RTM_GETLINK, NetlinkSocket.NLM_F_REQUEST | NetlinkSocket.NLM_F_DUMP, s.nextSeq())) {
            m.familyHeader(16);
            List<String> names = new ArrayList<>();
            for (NetlinkMessage msg : m.send(s, "ip link show")) {
                names.add(Attributes.parse(msg.payload(), 16).string(IFLA_IFNAME));
            }
            return names;
        }
    }

    @KernelTest({NETNS, VETH})
    @Test
    void dumpsLinksOfAThrowawayNamespace() {
        try (TestNamespace ns = TestNamespace.create("sock");
             NetNamespace handle = NetNamespace.named(ns.name());
             NetlinkSocket s = handle.open(NetlinkSocket.NETLINK_ROUTE)) {
            assertThat(linkNames(s)).containsExactly("lo");
            ns.exec("ip", "link", "add", "bwdummy0", "type", "veth", "peer", "name", "bwdummy1");
            assertThat(linkNames(s)).containsExactlyInAnyOrder("lo", "bwdummy0", "bwdummy1");
            assertThat(s.messagesSent()).isEqualTo(2);
        }
    }

    @KernelTest(NETNS)
    @Test
    void kernelErrorsCarryErrnoAndExtendedAck() {
        try (TestNamespace ns = TestNamespace.create("err");
             NetNamespace handle = NetNamespace.named(ns.name());
             NetlinkSocket s = handle.open(NetlinkSocket.NETLINK_ROUTE);
             MessageBuilder m = new MessageBuilder(256, RTM_NEWLINK,
                     NetlinkSocket.NLM_F_REQUEST | NetlinkSocket.NLM_F_ACK | NetlinkSocket.NLM_F_CREATE | NetlinkSocket.NLM_F_EXCL, s.nextSeq())) {
            m.familyHeader(16);
            m.putString(IFLA_IFNAME, "bwbad0");
            // No IFLA_LINKINFO: the kernel cannot tell what kind of link to create.
            assertThatThrownBy(() -> m.send(s, "ip link add bwbad0"))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isPositive();
                        assertThat(e.operation()).isEqualTo("ip link add bwbad0");
                        assertThat(e.getMessage()).startsWith("ip link add bwbad0: ").contains("errno " + e.errno());
                    });
        }
    }

    @Test
    void missingNamespaceIsAClearError() {
        assertThatThrownBy(() -> NetNamespace.named("bulwark-no-such-namespace"))
                .hasMessageContaining("ip netns add bulwark-no-such-namespace");
    }

    @KernelTest
    @Test
    void currentNamespaceWorksWithoutRoot() {
        try (NetNamespace handle = NetNamespace.current(); NetlinkSocket s = handle.open(NetlinkSocket.NETLINK_ROUTE)) {
            assertThat(linkNames(s)).contains("lo");
        }
    }
}
