package dev.bulwark.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.apply.Step;
import dev.bulwark.dataplane.netlink.Inet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route planner and route values as pure functions: no kernel. */
class RouteStateTest {

    static final Route DEFAULT = Route.to("default").via("203.0.113.1").withDevice("eth0");
    static final Route NET = Route.to("10.0.0.0/8").via("192.168.1.254").withTable(100);
    static final Route FOREIGN = Route.to("198.51.100.0/24").via("203.0.113.1").withDevice("eth0").withProtocol(4);
    static final Route KERNEL = new Route(Prefix.parse("203.0.113.0/24"), null, "eth0", null, 254, 2);

    @Test
    void equalStatesPlanNothing() {
        assertThat(RouteState.plan(List.of(DEFAULT, NET), List.of(KERNEL, FOREIGN, NET.withDevice("eth1"), DEFAULT))).isEmpty();
    }

    @Test
    void addsReplacesThenDeletesAndNeverTouchesForeignRoutes() {
        Route gone = Route.to("172.16.0.0/12").via("192.168.1.254").withDevice("eth1");
        Route newGateway = NET.via("192.168.1.253");
        Route liveNet = NET.withDevice("eth1");
        List<Step> plan = RouteState.plan(List.of(newGateway, DEFAULT), List.of(KERNEL, FOREIGN, liveNet, gone));
        assertThat(plan).containsExactly(
                new Step(new Routes.Replace(newGateway), new Routes.Replace(liveNet)),
                new Step(new Routes.Add(DEFAULT), new Routes.Delete(DEFAULT)),
                new Step(new Routes.Delete(gone), new Routes.Add(gone)));
        assertThat(RouteState.plan(List.of(), List.of(KERNEL, FOREIGN))).isEmpty();
    }

    @Test
    void anotherMetricIsAnotherRoute() {
        Route m100 = DEFAULT.withMetric(100L);
        assertThat(RouteState.plan(List.of(m100), List.of(DEFAULT))).extracting(Step::operation)
                .containsExactly(new Routes.Add(m100), new Routes.Delete(DEFAULT));
        // Floating routes: same destination and table, two metrics.
        Route backup = Route.to("default").via("198.51.100.1").withMetric(200L);
        assertThat(RouteState.plan(List.of(DEFAULT, backup), List.of(DEFAULT))).extracting(Step::operation)
                .containsExactly(new Routes.Add(backup));
    }

    @Test
    void desiredRoutesMustBeOursAndDistinct() {
        assertThatThrownBy(() -> RouteState.plan(List.of(FOREIGN), List.of())).hasMessageContaining("is not tagged proto 98");
        assertThatThrownBy(() -> RouteState.plan(List.of(DEFAULT, DEFAULT.via("203.0.113.9")), List.of()))
                .hasMessageContaining("have the same destination, table and metric");
    }

    @Test
    void routeValues() {
        assertThat(Route.BULWARK_PROTOCOL).isEqualTo(98);
        assertThat(Route.to("10.0.0.0/8").metric()).isEqualTo(0L);
        assertThat(Route.to("2001:db8::/32").metric()).isEqualTo(1024L);
        assertThat(Route.to("2001:db8::/32").withMetric(null)).isEqualTo(Route.to("2001:db8::/32").withMetric(1024L));
        assertThat(Route.to("10.0.0.0/8").table()).isEqualTo(254L);
        assertThat(new Routes.Add(NET).command()).isEqualTo("ip route add 10.0.0.0/8 via 192.168.1.254 table 100 proto 98");
        assertThat(new Routes.Delete(Route.to(Prefix.DEFAULT_V6).withDevice("eth0").withMetric(5L)).command())
                .isEqualTo("ip -6 route del default dev eth0 metric 5 table 254 proto 98");
        assertThatThrownBy(() -> Route.to("10.0.0.0/8").via("2001:db8::1")).hasMessageContaining("other address family");
        assertThatThrownBy(() -> Route.to("10.0.0.0/8").withTable(0)).hasMessageContaining("table 0 is not 1 to 4294967295");
        assertThatThrownBy(() -> Routes.add(null, FOREIGN)).hasMessageContaining("only routes of its own protocol 98");
    }

    @Test
    void prefixes() {
        assertThat(Prefix.parse("10.0.0.0/8")).isEqualTo(new Prefix(Inet.parse("10.0.0.0"), 8)).hasToString("10.0.0.0/8");
        assertThat(Prefix.parse("default")).isEqualTo(Prefix.DEFAULT_V4).hasToString("default");
        assertThat(Prefix.parse("::/0")).isEqualTo(Prefix.DEFAULT_V6);
        assertThat(Prefix.parse("192.0.2.7")).hasToString("192.0.2.7/32");
        assertThat(Prefix.parse("2001:db8:0:0:1::/80")).hasToString("2001:db8:0:0:1::/80");
        assertThatThrownBy(() -> Prefix.parse("10.1.0.0/8")).hasMessage("10.1.0.0/8 has host bits set; the network is 10.0.0.0/8");
        assertThatThrownBy(() -> Prefix.parse("2001:db8::1/64")).hasMessage("2001:db8::1/64 has host bits set; the network is 2001:db8::/64");
        assertThatThrownBy(() -> Prefix.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
    }

    @Test
    void ipv6TextIsRfc5952() {
        assertThat(Inet.text(Inet.parse("2001:0db8:0000:0000:0001:0000:0000:0001"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Inet.text(Inet.parse("::"))).isEqualTo("::");
        assertThat(Inet.text(Inet.parse("::1"))).isEqualTo("::1");
        assertThat(Inet.text(Inet.parse("fe80::"))).isEqualTo("fe80::");
        assertThat(Inet.text(Inet.parse("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Inet.text(Inet.fromBytes(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1})))
                .isEqualTo("::ffff:a00:1");
    }
}
