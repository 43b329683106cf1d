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

    /** The IPv4 scanner's reasons, one per kind of mistake, in the order they are checked (pinned word for word). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1.2.3        | '1.2.3' is not an IPv4 address: it needs four numbers separated by dots",
            "1.2.3.4.999  | '1.2.3.4.999' is not an IPv4 address: it needs four numbers separated by dots",
            "1..2.3       | '1..2.3' is not an IPv4 address: '' is not a number from 0 to 255",
            "1.2.3.       | '1.2.3.' is not an IPv4 address: '' is not a number from 0 to 255",
            ".1.2.3       | '.1.2.3' is not an IP address (write e.g. 192.168.1.1 or fd00::1; host names are not allowed)",
            "1.2.3.1234   | '1.2.3.1234' is not an IPv4 address: '1234' is not a number from 0 to 255",
            "1.2.3.٤      | '1.2.3.٤' is not an IPv4 address: '٤' is not a number from 0 to 255",
            "1.2.3.-4     | '1.2.3.-4' is not an IPv4 address: '-4' is not a number from 0 to 255",
            "1.2.3.4/24   | '1.2.3.4/24' is not an IPv4 address: '4/24' is not a number from 0 to 255",
            "1.2.3.00     | '1.2.3.00' has a leading zero in '00', which some tools read as octal; write it without the zero",
            "01.2.3.256   | '01.2.3.256' has a leading zero in '01', which some tools read as octal; write it without the zero",
            "1.2.3.999    | '1.2.3.999' is not an IPv4 address: 999 is larger than 255",
            "256.1.1.1    | '256.1.1.1' is not an IPv4 address: 256 is larger than 255",
            "::ffff:1.2.3.04 | '::ffff:1.2.3.04' has a leading zero in '04', which some tools read as octal; write it without the zero",
            "::ffff:1.2.3 | '::ffff:1.2.3' is not an IPv4 address: it needs four numbers separated by dots",
    })
    void ipv4MistakesAreNamedExactly(String in, String message) {
        assertThatThrownBy(() -> IpAddress.parse(in)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.1", "0.0.0.0", "255.255.255.255", "fd00:1::1", "::", "::1", "2001:db8::ff00:42:8329", "fe80::1"})
    void anInetAddressReadsAsItsLiteral(String text) throws Exception {
        assertThat(IpAddress.of(java.net.InetAddress.getByName(text))).isEqualTo(IpAddress.parse(text));
        assertThat(IpAddress.of(java.net.InetAddress.getByName(text)).toString()).isEqualTo(text);
    }

    @Test
    void aScopeIdIsDropped() throws Exception {
        assertThat(IpAddress.of(java.net.Inet6Address.getByAddress(null, java.net.InetAddress.getByName("fe80::1").getAddress(), 2)).toString())
                .isEqualTo("fe80::1");
    }

    @Test
    void ipv4AtTheEdges() {
        assertThat(IpAddress.parse("0.0.0.0")).isEqualTo(IpAddress.v4(0));
        assertThat(IpAddress.parse("255.255.255.255")).isEqualTo(IpAddress.v4(0xFFFF_FFFFL));
        assertThat(IpAddress.parse("10.0.0.1\u2003").toString()).isEqualTo("10.0.0.1"); // stripped like any white space
        assertThat(IpAddress.parse(" 192.168.100.200 ")).isEqualTo(IpAddress.v4(0xC0A8_64C8L));
    }

    /** Ports, port ranges and prefix lengths: ASCII digits only; a port may have leading zeros, a length may too. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0           | port 0 is out of range 1-65535",
            "65536       | port 65536 is out of range 1-65535",
            "1234567     | '1234567' is not a port or port range (write e.g. 22 or 8000-8100)",
            "٣           | '٣' is not a port or port range (write e.g. 22 or 8000-8100)",
            "1-          | '1-' is not a port or port range (write e.g. 22 or 8000-8100)",
            "8100-8000   | port range 8100-8000 ends before it starts; write 8000-8100",
    })
    void portMistakesAreNamedExactly(String in, String message) {
        assertThatThrownBy(() -> PortRange.parse(in)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        if (Names.isAsciiDigit(in.charAt(0))) { // a set element of digits and dashes is a port
            assertThatThrownBy(() -> SetElement.parse(in)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        }
    }

    @Test
    void portsAndPrefixLengthsAtTheEdges() {
        assertThat(PortRange.parse("0123")).isEqualTo(PortRange.of(123));
        assertThat(PortRange.parse("65535")).isEqualTo(PortRange.of(65535));
        assertThat(PortRange.parse("8000 - 8100")).isEqualTo(new PortRange(8000, 8100));
        assertThat(SetElement.parse("80-90")).isEqualTo(new PortRange(80, 90));
        assertThat(SetElement.parse("10.0.0.0/8")).isEqualTo(IpPrefix.parse("10.0.0.0/8"));
        assertThat(IpPrefix.parse("10.0.0.0/08").length()).isEqualTo(8);
        assertThatThrownBy(() -> SetElement.parse("1.2.3.4/٣")).hasMessage("'1.2.3.4/٣': prefix length '٣' is not a number from 0 to 32");
        assertThatThrownBy(() -> SetElement.parse("1.2.3.4/033")).hasMessage("'1.2.3.4/033': prefix length 33 is larger than 32 for IPv4");
        assertThatThrownBy(() -> SetElement.parse("1.2.3.4/")).hasMessage("'1.2.3.4/': prefix length '' is not a number from 0 to 32");
        assertThatThrownBy(() -> SetElement.parse("1.2.3.4/ 24")).hasMessage("'1.2.3.4/ 24': prefix length ' 24' is not a number from 0 to 32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "a_b-c", "abcdefghijklmnopqrstuvwxyzabcdef", "web-1", "A9"})
    void identifiers(String s) {
        assertThat(Names.isIdentifier(s)).isTrue();
        assertThat(Names.IDENTIFIER.matcher(s).matches()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1a", "-a", "_a", "a.b", "a b", "é", "aé", "abcdefghijklmnopqrstuvwxyzabcdefg", "a\n"})
    void notIdentifiers(String s) {
        assertThat(Names.isIdentifier(s)).isFalse();
        assertThat(Names.IDENTIFIER.matcher(s).matches()).isFalse();
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
