package dev.bulwark.dataplane.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.apply.Step;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The address planner as a pure function: no kernel. */
class AddressStateTest {

    static final Address LAN = Address.of("eth1", "192.168.1.1/24");
    static final Address LAN6 = Address.of("eth1", "fd00:1::1/64");
    static final Address LO = Address.of("lo", "127.0.0.1/8");

    @Test
    void equalStatesPlanNothing() {
        assertThat(AddressState.plan(List.of(LAN, LAN6), List.of(LO, LAN6, LAN), Set.of("eth1"))).isEmpty();
    }

    @Test
    void removalsFirstAndOnlyOnOurDevices() {
        Address old = Address.of("eth1", "192.168.1.1/16");
        Address elsewhere = Address.of("eth0", "203.0.113.2/24");
        Address retired = Address.of("eth2", "10.0.0.1/24");
        assertThat(AddressState.plan(List.of(LAN), List.of(LO, elsewhere, old, retired), Set.of("eth2"))).containsExactly(
                new Step(new Addresses.Delete(old), new Addresses.Add(old)),
                new Step(new Addresses.Delete(retired), new Addresses.Add(retired)),
                new Step(new Addresses.Add(LAN), new Addresses.Delete(LAN)));
    }

    @Test
    void addressValues() {
        assertThat(Address.of("eth1", "fd00:1:0:0::1/64")).isEqualTo(LAN6).hasToString("fd00:1::1/64 dev eth1");
        assertThat(new Addresses.Add(LAN6).command()).isEqualTo("ip address add fd00:1::1/64 dev eth1 nodad");
        assertThat(new Addresses.Delete(LAN).command()).isEqualTo("ip address del 192.168.1.1/24 dev eth1");
        assertThatThrownBy(() -> Address.of("eth1", "192.168.1.1/33")).hasMessageContaining("is 0 to 32");
        assertThatThrownBy(() -> Address.of("eth1", "192.168.1.1")).hasMessageContaining("no prefix length");
    }
}
