package dev.bulwark.dataplane.conntrack;

import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SysctlsTest {

    private static final String EST = "nf_conntrack_tcp_timeout_established";
    private static final String UDP = "nf_conntrack_udp_timeout";

    @KernelTest({NETNS, CONNTRACK})
    @Test
    void timeoutsRoundTripInAChildNamespaceAndMaxIsAWarning() {
        try (TestNamespace t = TestNamespace.create("sysctl"); NetNamespace ns = NetNamespace.named(t.name())) {
            Map<String, Long> before = Sysctls.read(ns, List.of(EST, UDP, Sysctls.MAX));
            if (!before.containsKey(EST)) System.out.println("SKIPPED: nf_conntrack is not loaded on this kernel");
            assumeTrue(before.containsKey(EST), "nf_conntrack is not loaded; skipped");

            Map<String, Long> desired = new LinkedHashMap<>();
            desired.put(EST, 3600L);
            desired.put(UDP, 31L);
            desired.put(Sysctls.MAX, before.get(Sysctls.MAX) + 1);
            Sysctls.Outcome o = Sysctls.apply(ns, desired);
            assertThat(Sysctls.read(ns, List.of(EST, UDP))).containsEntry(EST, 3600L).containsEntry(UDP, 31L);
            assertThat(o.previous()).containsEntry(EST, before.get(EST)).containsEntry(UDP, before.get(UDP));
            assertThat(o.warnings()).singleElement().satisfies(w -> assertThat(w).contains("only in the initial namespace"));

            // Applying the same again changes nothing; the returned previous values restore the start.
            desired.remove(Sysctls.MAX);
            assertThat(Sysctls.apply(ns, desired).previous()).isEmpty();
            Sysctls.apply(ns, o.previous());
            assertThat(Sysctls.read(ns, List.of(EST, UDP))).isEqualTo(Map.of(EST, before.get(EST), UDP, before.get(UDP)));

            // The host's value is untouched by everything above.
            assertThat(Sysctls.read(NetNamespace.current(), List.of(EST))).containsEntry(EST, hostValue());
        }
    }

    private static long hostValue() {
        try {
            return Sysctls.readValue(Sysctls.path(EST));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownKeysAreRefusedBeforeTouchingTheKernel() {
        try (NetNamespace ns = NetNamespace.current()) {
            assertThatThrownBy(() -> Sysctls.apply(ns, Map.of("../../kernel/hostname", 1L))).hasMessageContaining("not a conntrack sysctl");
            assertThatThrownBy(() -> Sysctls.apply(ns, Map.of("nf_conntrack_no_such_key", 1L)))
                    .hasMessageContaining("does not exist");
        }
    }
}
