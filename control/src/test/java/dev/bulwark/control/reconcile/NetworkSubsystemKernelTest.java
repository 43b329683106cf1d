package dev.bulwark.control.reconcile;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.dataplane.testing.KernelTest;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.route.RouteState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The network subsystem alone (links, addresses, routes) on a real namespace: the home-router example's network
 * applied, read back and idempotent, and a failing route undoing the steps before it. (These were NetworkApplier's
 * tests; the subsystem replaced it.)
 */
@KernelTest({NETNS, VETH})
class NetworkSubsystemKernelTest {

    static final Path HOME = Path.of("..", "examples", "home-router.yaml");

    static TestNamespace router() {
        TestNamespace ns = TestNamespace.create("net");
        ns.exec("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
        ns.exec("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        return ns;
    }

    @Test
    void homeRouterNetworkIsAppliedReadBackAndIdempotent() throws Exception {
        DesiredState desired = Compiler.compile(ConfigLoader.load(HOME).orThrow());
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            Reconciler r = new Reconciler(dp, List.of(new NetworkSubsystem()));
            assertThat(r.apply(desired).plan().operations()).isPositive();
            NetworkPort net = dp.port(NetworkPort.KIND);
            assertThat(net.addresses()).containsAll(desired.network().addresses());
            // The kernel fills in the device it chose for the gateway; the planner counts that as equal.
            assertThat(net.ourRoutes()).singleElement().satisfies(rt -> assertThat(rt.device()).isEqualTo("eth0"));
            assertThat(RouteState.plan(desired.network().routes(), net.ourRoutes())).isEmpty();
            assertThat(net.links()).filteredOn(l -> l.name().startsWith("eth")).allSatisfy(l -> assertThat(l.up()).isTrue());

            // read everything back and plan again: nothing to do, and nothing that changes the kernel is sent
            long changes = dp.changesSent();
            long sent = dp.messagesSent();
            assertThat(r.check(desired).isEmpty()).isTrue();
            assertThat(r.apply(desired).changed()).isFalse();
            assertThat(dp.messagesSent()).as("the check read (dumps)").isGreaterThan(sent);
            assertThat(dp.changesSent()).isEqualTo(changes);
        }
    }

    @Test
    void aFailingRouteUndoesTheLinksAndAddressesBeforeIt() throws Exception {
        String yaml = Files.readString(HOME)
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 10.99.99.99 }");
        DesiredState desired = Compiler.compile(ConfigLoader.parse(yaml, Format.YAML).orThrow());
        try (TestNamespace ns = router(); KernelDataplane dp = KernelDataplane.open(ns.name())) {
            NetworkPort net = dp.port(NetworkPort.KIND);
            var linksBefore = net.links();
            var addressesBefore = net.addresses();
            assertThatThrownBy(() -> new Reconciler(dp, List.of(new NetworkSubsystem())).apply(desired))
                    .isInstanceOf(ReconcileException.class)
                    .hasMessageContaining("10.9.0.0/16")
                    .satisfies(e -> assertThat(((ReconcileException) e).restored()).isTrue());
            assertThat(net.links()).isEqualTo(linksBefore);
            assertThat(net.addresses()).isEqualTo(addressesBefore);
            assertThat(net.ourRoutes()).isEqualTo(List.of());
        }
    }
}
