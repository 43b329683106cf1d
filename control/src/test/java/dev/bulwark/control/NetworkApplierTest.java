package dev.bulwark.control;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.control.compile.DesiredNetwork;
import dev.bulwark.control.compile.NetworkCompiler;
import dev.bulwark.dataplane.apply.ApplyException;
import dev.bulwark.dataplane.apply.UndoLog;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.route.Routes;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The home-router example's links, addresses and routes applied to a real namespace, and a failure rolled back. */
@KernelTest({NETNS, VETH})
class NetworkApplierTest {

    static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("timeout: " + String.join(" ", cmd));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** A namespace with veth devices eth0 and eth1 (peers in the same namespace), removed on close. */
    static final class RouterNs implements AutoCloseable {
        final String name = "bwt-net-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;

        RouterNs() throws Exception {
            sh("ip", "netns", "add", name);
            sh("ip", "-n", name, "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
            sh("ip", "-n", name, "link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        }

        @Override
        public void close() throws Exception {
            new ProcessBuilder("ip", "netns", "del", name).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void homeRouterNetworkIsAppliedReadBackAndIdempotent() throws Exception {
        DesiredNetwork desired = NetworkCompiler.compile(ConfigLoader.load(Path.of("..", "examples", "home-router.yaml")).orThrow());
        try (RouterNs r = new RouterNs(); NetNamespace ns = NetNamespace.named(r.name); NetlinkSocket s = ns.open(NetlinkSocket.NETLINK_ROUTE)) {
            UndoLog log = new UndoLog();
            assertThat(NetworkApplier.apply(s, desired, Set.of(), log)).isPositive();
            log.clear();
            assertThat(Addresses.read(s)).containsAll(desired.addresses());
            // The kernel fills in the device it chose for the gateway; the planner counts that as equal.
            assertThat(Routes.read(s, true)).singleElement().satisfies(rt -> assertThat(rt.device()).isEqualTo("eth0"));
            assertThat(dev.bulwark.dataplane.route.RouteState.plan(desired.routes(), Routes.read(s, true))).isEmpty();
            assertThat(Links.read(s)).filteredOn(l -> l.name().startsWith("eth")).allSatisfy(l -> assertThat(l.up()).isTrue());
            long changes = s.changesSent();
            long sent = s.messagesSent();
            assertThat(NetworkApplier.apply(s, desired, Set.of(), log)).isZero();
            // the second apply only read (dumps); it sent nothing that changes the kernel
            assertThat(s.messagesSent()).isGreaterThan(sent);
            assertThat(s.changesSent()).isEqualTo(changes);
        }
    }

    @Test
    void aFailingRouteUndoesTheLinksAndAddressesBeforeIt() throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "home-router.yaml"))
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 10.99.99.99 }");
        var loaded = ConfigLoader.parse(yaml, Format.YAML);
        DesiredNetwork desired = NetworkCompiler.compile(loaded.orThrow());
        try (RouterNs r = new RouterNs(); NetNamespace ns = NetNamespace.named(r.name); NetlinkSocket s = ns.open(NetlinkSocket.NETLINK_ROUTE)) {
            var linksBefore = Links.read(s);
            var addressesBefore = Addresses.read(s);
            assertThatThrownBy(() -> NetworkApplier.apply(s, desired, Set.of(), new UndoLog()))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("10.9.0.0/16");
            assertThat(Links.read(s)).isEqualTo(linksBefore);
            assertThat(Addresses.read(s)).isEqualTo(addressesBefore);
            assertThat(Routes.read(s, true)).isEqualTo(List.of());
        }
    }
}
