package dev.bulwark.dataplane.link;

import static dev.bulwark.dataplane.testing.KernelFeature.BRIDGE;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.apply.Step;
import dev.bulwark.dataplane.apply.UndoLog;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Kernel round trips for addresses in throwaway namespaces. */
@KernelTest({NETNS, VETH, BRIDGE})
class AddressesTest {

    static final List<Address> LO = List.of(Address.of("lo", "127.0.0.1/8"), Address.of("lo", "::1/128"));

    static List<Address> on(NetlinkSocket s, String device) {
        return Addresses.read(s).stream().filter(a -> a.device().equals(device)).toList();
    }

    @Test
    void ipv4AndIpv6RoundTrip() {
        try (TestNamespace ns = TestNamespace.create("addr");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            assertThat(Addresses.read(s)).containsExactlyInAnyOrderElementsOf(LO);
            Links.create(s, Link.veth("a0", "a1").withUp(true));
            Links.setUp(s, "a1", true);

            Address v4 = Address.of("a0", "192.0.2.1/24");
            Address v6 = Address.of("a0", "2001:db8::1/64");
            List<Step> plan = AddressState.plan(List.of(v4, v6), Addresses.read(s), Set.of("a0"));
            assertThat(plan).containsExactly(
                    new Step(new Addresses.Add(v4), new Addresses.Delete(v4)),
                    new Step(new Addresses.Add(v6), new Addresses.Delete(v6)));
            assertThat(plan.get(1).operation().command()).isEqualTo("ip address add 2001:db8::1/64 dev a0 nodad");
            new UndoLog().apply(s, plan);
            assertThat(on(s, "a0")).containsExactlyInAnyOrder(v4, v6);
            // Usable at once (IFA_F_NODAD), and the kernel's own fe80:: address is there but not read.
            assertThat(ns.exec("ip", "-6", "address", "show", "dev", "a0")).contains("2001:db8::1/64 scope global nodad").contains("fe80:");
            assertThat(ns.exec("ip", "-6", "address", "show", "dev", "a0", "tentative")).doesNotContain("2001:db8::1");
            assertThat(AddressState.plan(List.of(v4, v6), Addresses.read(s), Set.of("a0"))).isEmpty();

            // Change the IPv4 address: removal first, then the addition.
            Address v4b = Address.of("a0", "192.0.2.2/24");
            plan = AddressState.plan(List.of(v4b, v6), Addresses.read(s), Set.of("a0"));
            assertThat(plan).extracting(Step::operation).containsExactly(new Addresses.Delete(v4), new Addresses.Add(v4b));
            new UndoLog().apply(s, plan);
            assertThat(on(s, "a0")).containsExactlyInAnyOrder(v4b, v6);

            // Remove: lo's addresses are not ours and stay.
            plan = AddressState.plan(List.of(), Addresses.read(s), Set.of("a0"));
            assertThat(plan).extracting(Step::operation).containsExactlyInAnyOrder(new Addresses.Delete(v4b), new Addresses.Delete(v6));
            new UndoLog().apply(s, plan);
            assertThat(on(s, "a0")).isEmpty();
            assertThat(Addresses.read(s)).containsExactlyInAnyOrderElementsOf(LO);
        }
    }

    @Test
    void kernelErrorsNameTheIpCommand() {
        try (TestNamespace ns = TestNamespace.create("addrerr");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_ROUTE)) {
            assertThatThrownBy(() -> Addresses.add(s, Address.of("nosuch", "10.0.0.1/24")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(19);
                        assertThat(e.operation()).isEqualTo("ip address add 10.0.0.1/24 dev nosuch (looking up device nosuch)");
                    });
            Links.create(s, Link.bridge("e0"));
            Address a = Address.of("e0", "10.0.0.1/24");
            Addresses.add(s, a);
            assertThatThrownBy(() -> Addresses.add(s, a))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(17);
                        assertThat(e.operation()).isEqualTo("ip address add 10.0.0.1/24 dev e0");
                    });
            Address missing = Address.of("e0", "10.0.0.9/24");
            assertThatThrownBy(() -> Addresses.delete(s, missing))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(99); // EADDRNOTAVAIL
                        assertThat(e.operation()).isEqualTo("ip address del 10.0.0.9/24 dev e0");
                    });
            assertThat(on(s, "e0")).containsExactly(a);
        }
    }
}
