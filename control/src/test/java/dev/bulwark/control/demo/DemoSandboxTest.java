package dev.bulwark.control.demo;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.NamedNamespaces;
import dev.bulwark.dataplane.testing.KernelTest;
import org.junit.jupiter.api.Test;

@KernelTest({NETNS, VETH})
class DemoSandboxTest {

    @Test
    void buildsTheThreeNamespacesAgainAfterALeftoverAndRemovesThem() {
        try (DemoSandbox first = DemoSandbox.create()) {
            // a second create (as after a crash) replaces the first
            try (DemoSandbox box = DemoSandbox.create()) {
                assertThat(TestNamespace.run("ip", "netns", "list")).contains("bw-lan", "bw-router", "bw-wan");
                assertThat(TestNamespace.run("ip", "-n", "bw-router", "-o", "link")).contains("eth0", "eth1");
                assertThat(TestNamespace.run("ip", "-n", "bw-lan", "-o", "addr")).contains("192.168.1.10/24", "192.168.1.20/24");
                assertThat(TestNamespace.run("ip", "-n", "bw-wan", "-o", "addr")).contains("203.0.113.1/24");
                assertThat(TestNamespace.run("ip", "-n", "bw-lan", "route")).contains("default via 192.168.1.1");
                assertThat(TestNamespace.run("ip", "netns", "exec", "bw-router", "cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("1");
            }
        }
        for (String ns : DemoSandbox.NAMESPACES) assertThat(NamedNamespaces.exists(ns)).isFalse();
    }
}
