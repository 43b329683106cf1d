package dev.bulwark.dataplane.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.port.PortKind;
import org.junit.jupiter.api.Test;

/** A port the fake dataplane was never told about is found by its name, and shares the fault injection. */
class FakeDataplaneTest {

    /** A port as a new subsystem would add one. */
    public interface ProbePort {
        PortKind<ProbePort> KIND = new PortKind<>("probe", ProbePort.class, k -> {
            throw new UnsupportedOperationException("no kernel in this test");
        });

        void poke(String what);
    }

    @Test
    void aNewPortsFakeIsFoundByItsNameAndCountsOperations() {
        FakeDataplane fake = new FakeDataplane("eth0");
        ProbePort probe = fake.port(ProbePort.KIND);
        assertThat(probe).isInstanceOf(FakeProbe.class).isSameAs(fake.port(ProbePort.KIND));
        probe.poke("one");
        assertThat(fake.operations()).isEqualTo(1);
        fake.failOperation(1);
        assertThatThrownBy(() -> probe.poke("two")).isInstanceOf(NetlinkException.class).hasMessageContaining("injected failure");
    }

    @Test
    void aPortWithoutAFakeSaysWhatToWrite() {
        interface Nameless {
        }
        PortKind<Nameless> kind = new PortKind<>("nameless", Nameless.class, k -> null);
        assertThatThrownBy(() -> new FakeDataplane().port(kind)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write dev.bulwark.dataplane.fake.FakeNameless");
    }
}
