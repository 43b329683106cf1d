package dev.bulwark.dataplane.netlink;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** Named namespaces made without the ip command, and a veth end moved between them, as the demo builds its sandbox. */
@KernelTest({NETNS, VETH})
class NamedNamespacesTest {

    @Test
    void createMoveAndDeleteAsIpDoes() {
        String a = "bwt-nna-" + ProcessHandle.current().pid();
        String b = "bwt-nnb-" + ProcessHandle.current().pid();
        try {
            NamedNamespaces.create(a);
            NamedNamespaces.create(b);
            assertThat(TestNamespace.run("ip", "netns", "list")).contains(a, b);
            assertThatThrownBy(() -> NamedNamespaces.create(a)).hasMessageContaining("exists");
            try (NetNamespace na = NetNamespace.named(a); NetlinkSocket sa = na.open(NetlinkSocket.NETLINK_ROUTE);
                 NetNamespace nb = NetNamespace.named(b); NetlinkSocket sb = nb.open(NetlinkSocket.NETLINK_ROUTE)) {
                assertThat(Links.read(sa)).extracting(Link::name).containsExactly("lo");
                Links.create(sa, new Link("eth1", Link.Kind.VETH, true, null, null, null, null, "lan0"));
                Links.moveToNamespace(sa, "lan0", b);
                assertThat(Links.read(sa)).extracting(Link::name).containsExactlyInAnyOrder("lo", "eth1");
                assertThat(Links.read(sb)).extracting(Link::name).containsExactlyInAnyOrder("lo", "lan0");
                // the host namespace is untouched
                assertThat(TestNamespace.run("ip", "-o", "link")).doesNotContain("lan0");
            }
        } finally {
            NamedNamespaces.delete(a);
            NamedNamespaces.delete(b);
        }
        assertThat(NamedNamespaces.exists(a)).isFalse();
        assertThat(TestNamespace.run("ip", "netns", "list")).doesNotContain(a).doesNotContain(b);
        NamedNamespaces.delete(a); // deleting twice is fine
    }
}
