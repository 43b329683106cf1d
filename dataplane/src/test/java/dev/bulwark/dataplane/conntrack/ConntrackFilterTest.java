package dev.bulwark.dataplane.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.netlink.Inet;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConntrackFilterTest {

    static final InetAddress CLIENT = Inet.parse("192.168.1.20");
    static final InetAddress SERVER = Inet.parse("203.0.113.5");
    static final InetAddress ROUTER = Inet.parse("198.51.100.2");

    /** A masqueraded connection: 192.168.1.20:40000 → 203.0.113.5:443, the reply addressed to the router's 198.51.100.2:61000. */
    static final ConntrackEntry NATTED = new ConntrackEntry(Inet.AF_INET, 6,
            ConntrackEntry.Tuple.ports(CLIENT, SERVER, 40000, 443), ConntrackEntry.Tuple.ports(SERVER, ROUTER, 443, 61000),
            "ESTABLISHED", 300, 0, Set.of(ConntrackEntry.Status.SRC_NAT, ConntrackEntry.Status.ASSURED), 0, null, null, 7);
    static final ConntrackEntry PING = new ConntrackEntry(Inet.AF_INET, 1,
            ConntrackEntry.Tuple.icmp(CLIENT, SERVER, 8, 0, 99), ConntrackEntry.Tuple.icmp(SERVER, CLIENT, 0, 0, 99),
            null, 30, 0, Set.of(), 0, null, null, 8);

    @Test
    void criteriaMatchEitherSideOfEitherTupleAndCombine() {
        assertThat(ConntrackFilter.ALL.test(NATTED)).isTrue();
        assertThat(ConntrackFilter.ALL.isAll()).isTrue();
        for (InetAddress a : new InetAddress[]{CLIENT, SERVER, ROUTER}) {
            assertThat(ConntrackFilter.ALL.withAddress(a).test(NATTED)).as("address %s", a).isTrue();
        }
        assertThat(ConntrackFilter.ALL.withAddress(Inet.parse("192.0.2.1")).test(NATTED)).isFalse();
        assertThat(ConntrackFilter.ALL.withAddress(Inet.parse("::ffff:192.168.1.20")).test(NATTED))
                .as("an IPv4 literal written IPv4-mapped is IPv4").isTrue();
        assertThat(ConntrackFilter.ALL.withAddress(Inet.fromBytes(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, (byte) 168, 1, 20}))
                .test(NATTED)).as("a true IPv6 address never matches an IPv4 entry").isFalse();
        for (int p : new int[]{40000, 443, 61000}) assertThat(ConntrackFilter.ALL.withPort(p).test(NATTED)).as("port %d", p).isTrue();
        assertThat(ConntrackFilter.ALL.withPort(80).test(NATTED)).isFalse();
        assertThat(ConntrackFilter.ALL.withPort(99).test(PING)).as("icmp ids are not ports").isFalse();
        assertThat(ConntrackFilter.ALL.withProtocol(6).withPort(443).withAddress(ROUTER).test(NATTED)).isTrue();
        assertThat(ConntrackFilter.ALL.withProtocol(17).withPort(443).test(NATTED)).isFalse();
        assertThat(ConntrackFilter.ALL.withProtocol(1).test(PING)).isTrue();
        assertThat(ConntrackFilter.ALL.withProtocol(17).withPort(53).withAddress(SERVER)).hasToString("protocol udp port 53 address 203.0.113.5");
    }

    @Test
    void valuesAreValidated() {
        assertThatThrownBy(() -> ConntrackFilter.ALL.withPort(65536)).hasMessageContaining("port 65536");
        assertThatThrownBy(() -> ConntrackFilter.ALL.withProtocol(256)).hasMessageContaining("protocol 256");
        assertThatThrownBy(() -> ConntrackEntry.Tuple.ports(CLIENT, Inet.parse("::1"), 1, 2)).hasMessageContaining("differ in family");
        assertThatThrownBy(() -> new ConntrackEntry(3, 6, NATTED.original(), NATTED.reply(), null, 0, 0, Set.of(), 0, null, null, 0))
                .hasMessageContaining("family 3");
        assertThat(NATTED.status()).as("in bit order").containsExactly(ConntrackEntry.Status.ASSURED, ConntrackEntry.Status.SRC_NAT);
        assertThat(ConntrackEntry.Status.of(0b1110)).containsExactly(ConntrackEntry.Status.SEEN_REPLY,
                ConntrackEntry.Status.ASSURED, ConntrackEntry.Status.CONFIRMED);
        assertThat(Conntrack.deleteCommand(NATTED)).isEqualTo("conntrack -D -f ipv4 -p tcp -s 192.168.1.20 -d 203.0.113.5 --sport 40000 --dport 443");
        assertThat(Conntrack.deleteCommand(PING)).isEqualTo("conntrack -D -f ipv4 -p icmp -s 192.168.1.20 -d 203.0.113.5 --icmp-type 8 --icmp-code 0 --icmp-id 99");
    }
}
