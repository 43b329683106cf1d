package dev.bulwark.control.drift;

import dev.bulwark.dataplane.port.NetlinkPorts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.Dataplane;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.monitor.KernelChange;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftNotice;
import dev.bulwark.dataplane.route.Route;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which kernel notifications may be drift from examples/home-router.yaml, and which are not ours or our own echoes. */
class DriftFilterTest {

    static final DesiredState HOME = Compiler.compile(ConfigLoader.load(Path.of("..", "examples", "home-router.yaml")).orThrow());
    static final int RT = 4100;
    static final int NF = 4100; // port ids are per bus: ours may well be equal on both
    static final NetlinkPorts OURS = new NetlinkPorts(Set.of(RT), Set.of(NF));
    static final int ADMIN = 5000;

    static String reason(KernelChange c) {
        return DriftFilter.reason(c, HOME, OURS);
    }

    static KernelChange nft(String table, int family, boolean removed, int port) {
        return new KernelChange.NftChanged(new NftNotice(NftNotice.Kind.RULE, removed, family, table, 0, 0, null), port);
    }

    static Route ourDefault() {
        return Route.to("0.0.0.0/0").via("203.0.113.1").withDevice("eth0");
    }

    @Test
    void ourTableChangedBySomeoneElseIsDriftOurOwnBatchIsNot() {
        assertThat(reason(nft("bulwark", Nft.NFPROTO_INET, true, ADMIN))).isEqualTo("nft delete rule (table inet bulwark) by netlink port 5000");
        assertThat(reason(nft("bulwark", Nft.NFPROTO_INET, false, NF))).isNull();
        assertThat(reason(nft("bulwark", Nft.NFPROTO_IPV4, true, ADMIN))).as("table ip bulwark is not ours").isNull();
        assertThat(reason(nft("foreign", Nft.NFPROTO_IPV4, false, ADMIN))).isNull();
        assertThat(reason(new KernelChange.NftChanged(new NftNotice(NftNotice.Kind.GENERATION, false, 0, null, 7, 1, "nft"), ADMIN))).isNull();
    }

    @Test
    void routesOfOursDeletedOrChangedAreDriftOthersAreNot() {
        Route def = ourDefault();
        assertThat(reason(new KernelChange.RouteChanged(true, def, ADMIN))).startsWith("route default via 203.0.113.1");
        assertThat(reason(new KernelChange.RouteChanged(true, def, RT))).as("our own deletion").isNull();
        assertThat(reason(new KernelChange.RouteChanged(false, def, RT))).isNull();
        assertThat(reason(new KernelChange.RouteChanged(false, def, 0))).as("as the config wants it").isNull();
        Route other = def.via("203.0.113.9");
        assertThat(reason(new KernelChange.RouteChanged(false, other, ADMIN))).as("ours replaced with another gateway").isNotNull();
        Route stranger = Route.to("10.50.0.0/16").via("203.0.113.1").withDevice("eth0");
        assertThat(reason(new KernelChange.RouteChanged(false, stranger, ADMIN))).as("a route tagged ours the config lacks").isNotNull();
        assertThat(reason(new KernelChange.RouteChanged(true, stranger, ADMIN))).as("and its removal").isNull();
        Route foreign = stranger.withProtocol(4);
        assertThat(reason(new KernelChange.RouteChanged(false, foreign, ADMIN))).isNull();
        assertThat(reason(new KernelChange.RouteChanged(true, def.withProtocol(4), ADMIN)))
                .as("a static default route is not ours").isNull();
    }

    @Test
    void addressesCountOnManagedDevicesOnly() {
        assertThat(reason(new KernelChange.AddressChanged(true, Address.of("eth1", "192.168.1.1/24"), ADMIN))).isNotNull();
        assertThat(reason(new KernelChange.AddressChanged(true, Address.of("eth1", "fd00:1::1/64"), 0))).as("IPv6: the kernel names no port").isNotNull();
        assertThat(reason(new KernelChange.AddressChanged(false, Address.of("eth1", "192.168.1.1/24"), 0))).isNull();
        assertThat(reason(new KernelChange.AddressChanged(false, Address.of("eth1", "10.1.1.1/24"), ADMIN))).as("a stranger on eth1").isNotNull();
        assertThat(reason(new KernelChange.AddressChanged(false, Address.of("peer0", "10.1.1.1/24"), ADMIN))).isNull();
        assertThat(reason(new KernelChange.AddressChanged(true, Address.of("eth1", "192.168.1.1/24"), RT))).isNull();
    }

    @Test
    void linksCountForWhatTheConfigSets() {
        Link eth0 = HOME.network().links().stream().filter(l -> l.name().equals("eth0")).findFirst().orElseThrow();
        Link live = new Link("eth0", Link.Kind.VETH, true, 1500, null, null, null, "peer0");
        assertThat(eth0.up()).isTrue();
        assertThat(reason(new KernelChange.LinkChanged(false, live, null, 0))).as("carrier and the like").isNull();
        assertThat(reason(new KernelChange.LinkChanged(false, live.withUp(false), null, 0))).isNotNull();
        assertThat(reason(new KernelChange.LinkChanged(true, live, null, 0))).isNotNull();
        assertThat(reason(new KernelChange.LinkChanged(false, new Link("wan0", Link.Kind.VETH, true, 1500, null, null, null, null), "eth0", 0)))
                .as("renamed away").isNotNull();
        assertThat(reason(new KernelChange.LinkChanged(false, new Link("peer0", Link.Kind.VETH, false, 1500, null, null, null, null), null, 0))).isNull();
    }

    @Test
    void anOverflowMayHideAnythingAndNothingIsOursBeforeTheFirstApply() {
        assertThat(reason(new KernelChange.Overflowed("rtnetlink"))).contains("queue overflow");
        assertThat(DriftFilter.reason(nft("bulwark", Nft.NFPROTO_INET, true, ADMIN), null, OURS)).isNull();
    }
}
