package dev.bulwark.control.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.model.Config;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.route.Prefix;
import dev.bulwark.dataplane.route.Route;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NetworkCompilerTest {

    static Config example(String name) {
        return ConfigLoader.load(Path.of("..", "examples", name)).orThrow();
    }

    @Test
    void homeRouterDevicesAddressesAndDefaultRoute() throws Exception {
        DesiredNetwork n = NetworkCompiler.compile(example("home-router.yaml"));
        assertThat(n.links()).containsExactly(
                new Link("eth0", Link.Kind.DEVICE, true, null, null, null, null, null),
                new Link("eth1", Link.Kind.DEVICE, true, null, null, null, null, null));
        assertThat(n.ownedLinks()).isEmpty();
        assertThat(n.addresses()).containsExactly(
                Address.of("eth0", "203.0.113.2/24"), Address.of("eth1", "192.168.1.1/24"), Address.of("eth1", "fd00:1::1/64"));
        assertThat(n.routes()).containsExactly(new Route(Prefix.DEFAULT_V4, InetAddress.getByName("203.0.113.1"), null, null,
                Route.MAIN_TABLE, Route.BULWARK_PROTOCOL));
    }

    @Test
    void smallOfficeVlanBridgeAndRoutes() throws Exception {
        DesiredNetwork n = NetworkCompiler.compile(example("small-office.yaml"));
        assertThat(n.links()).contains(
                new Link("eth1.20", Link.Kind.VLAN, true, null, null, "eth1", 20, null),
                new Link("br-dmz", Link.Kind.BRIDGE, true, null, null, null, null, null),
                new Link("eth2", Link.Kind.DEVICE, true, null, "br-dmz", null, null, null),
                new Link("eth3", Link.Kind.DEVICE, true, null, "br-dmz", null, null, null),
                new Link("eth0", Link.Kind.DEVICE, true, 1500, null, null, null, null));
        assertThat(n.ownedLinks()).containsExactlyInAnyOrder("eth1.20", "br-dmz");
        assertThat(n.routes()).hasSize(3);
        assertThat(n.routes().get(1).destination()).isEqualTo(Prefix.DEFAULT_V6);
        assertThat(n.routes().get(2)).isEqualTo(new Route(Prefix.parse("10.99.0.0/16"), InetAddress.getByName("10.10.0.254"),
                null, 100L, Route.MAIN_TABLE, Route.BULWARK_PROTOCOL));
    }
}
