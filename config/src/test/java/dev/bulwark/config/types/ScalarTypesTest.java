package dev.bulwark.config.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScalarTypesTest {

    @ParameterizedTest
    @CsvSource({
            "192.168.1.1, 192.168.1.1",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "::, ::",
            "::1, ::1",
            "FD00:1:0:0:0:0:0:1, fd00:1::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "::ffff:192.0.2.1, ::ffff:c000:201",
            "fe80::, fe80::",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    })
    void addressesParseAndPrintCanonically(String in, String out) {
        assertThat(IpAddress.parse(in).toString()).isEqualTo(out);
        assertThat(IpAddress.parse(out)).isEqualTo(IpAddress.parse(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "a.b.c.d", "example.com",
            "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", "fe80::1%eth0", "localhost", "-1.2.3.4"})
    void badAddressesAreRefusedWithAReason(String in) {
        assertThatThrownBy(() -> IpAddress.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void prefixesRefuseHostBitsAndSuggestTheNetwork() {
        assertThat(IpPrefix.parse("10.0.0.0/8").toString()).isEqualTo("10.0.0.0/8");
        assertThat(IpPrefix.parse("fd00:1::/64").toString()).isEqualTo("fd00:1::/64");
        assertThatThrownBy(() -> IpPrefix.parse("10.1.2.3/8")).hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> IpPrefix.parse("fd00::1/64")).hasMessageContaining("did you mean fd00::/64");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("larger than 32");
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpAddress.parse("8.8.8.8"))).isTrue();
        assertThat(IpPrefix.parse("10.0.0.0/8").overlaps(IpPrefix.parse("10.1.0.0/16"))).isTrue();
        assertThat(IpPrefix.parse("10.0.0.0/16").overlaps(IpPrefix.parse("10.1.0.0/16"))).isFalse();
    }

    @Test
    void prefixArithmeticAtTheEdges() {
        IpAddress a = IpAddress.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(a.masked(64).toString()).isEqualTo("2001:db8:ffff:ffff::");
        assertThat(a.masked(0).toString()).isEqualTo("::");
        assertThat(a.masked(128)).isEqualTo(a);
        assertThat(IpAddress.parse("2001:db8::").lastInPrefix(32).toString()).isEqualTo("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(IpAddress.parse("10.0.0.0").lastInPrefix(8).toString()).isEqualTo("10.255.255.255");
        assertThat(IpAddress.parse("10.0.0.0").lastInPrefix(32).toString()).isEqualTo("10.0.0.0");
        assertThat(IpAddress.parse("10.0.0.0").lastInPrefix(0).toString()).isEqualTo("255.255.255.255");
    }

    @Test
    void interfaceAddressesKeepHostBits() {
        InterfaceAddress ia = InterfaceAddress.parse("192.168.1.1/24");
        assertThat(ia.prefix().toString()).isEqualTo("192.168.1.0/24");
        assertThatThrownBy(() -> InterfaceAddress.parse("192.168.1.1")).hasMessageContaining("needs a prefix length");
    }

    @Test
    void rangesPortsAndRates() {
        assertThat(IpRange.parse("10.0.0.10-10.0.0.20").toString()).isEqualTo("10.0.0.10-10.0.0.20");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.20-10.0.0.10")).hasMessageContaining("write 10.0.0.10-10.0.0.20");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.1-fd00::1")).hasMessageContaining("mixes IPv4 and IPv6");
        assertThat(PortRange.parse("22")).isEqualTo(PortRange.of(22));
        assertThat(PortRange.parse("8000-8100").toString()).isEqualTo("8000-8100");
        assertThatThrownBy(() -> PortRange.parse("0")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> PortRange.parse("https")).hasMessageContaining("service names are not resolved");
        assertThat(Rate.parse("10/second").toString()).isEqualTo("10/second");
        assertThat(Rate.parse("5/min").toString()).isEqualTo("5/minute");
        assertThatThrownBy(() -> Rate.parse("10/fortnight")).hasMessageContaining("second, minute, hour or day");
    }

    @Test
    void endpointsAndMatches() {
        assertThat(Endpoint.parse("192.168.1.20:8443").toString()).isEqualTo("192.168.1.20:8443");
        assertThat(Endpoint.parse("[fd00::20]:443").port()).isEqualTo(443);
        assertThat(Endpoint.parse("fd00::20").port()).isNull();
        assertThat(AddressMatch.parse("@admins")).isEqualTo(new SetRef("admins"));
        assertThat(AddressMatch.parse("10.0.0.0/8")).isInstanceOf(IpPrefix.class);
        assertThat(AddressMatch.parse("10.0.0.1-10.0.0.5")).isInstanceOf(IpRange.class);
        assertThat(SetElement.parse("80")).isEqualTo(PortRange.of(80));
        assertThatThrownBy(() -> SetElement.parse("@other")).hasMessageContaining("cannot contain another set");
        assertThat(RouteDestination.parse("default").isDefault()).isTrue();
        assertThat(RouteDestination.parse("10.0.0.1").toString()).isEqualTo("10.0.0.1/32");
    }

    @Test
    void tokenHashesMatchInConstantTimeAndRefusePlaintext() {
        TokenHash h = TokenHash.of("bwk_secret");
        assertThat(TokenHash.parse(h.toString())).isEqualTo(h);
        assertThat(h.matches("bwk_secret")).isTrue();
        assertThat(h.matches("bwk_other")).isFalse();
        assertThatThrownBy(() -> TokenHash.parse("bwk_secret")).hasMessageContaining("stored hashed");
    }

    @Test
    void namesAndSuggestions() {
        assertThat(Names.kebab("portForwards")).isEqualTo("port-forwards");
        assertThat(Names.closest("dorp", java.util.List.of("accept", "drop", "reject"))).isEqualTo("drop");
        assertThat(Names.closest("xyz", java.util.List.of("accept", "drop", "reject"))).isNull();
        assertThat(Names.isDeviceName("eth0.100")).isTrue();
        assertThat(Names.isDeviceName("a-very-long-device-name")).isFalse();
    }
}
