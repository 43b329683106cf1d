package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.fake.FakeDataplane;
import static dev.bulwark.control.reconcile.ReconcilerFaultInjectionTest.DEVICES;
import static dev.bulwark.control.reconcile.ReconcilerFaultInjectionTest.example;
import static dev.bulwark.control.reconcile.ReconcilerFaultInjectionTest.homeWithExtraRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.route.Prefix;
import dev.bulwark.dataplane.route.Route;
import org.junit.jupiter.api.Test;

/** The reconciler's memory, plans and warnings, against the in-memory fake. */
class ReconcilerTest {

    @Test
    void aNoOpReconcileSendsNothingAndReadsNothing() {
        FakeDataplane fake = new FakeDataplane(DEVICES);
        Reconciler r = new Reconciler(fake);
        DesiredState home = example("home-router.yaml");
        assertThat(r.apply(home).changed()).isTrue();
        long changes = fake.changesSent();
        long messages = fake.messagesSent();

        Reconciler.Applied again = r.apply(home);
        assertThat(again.changed()).isFalse();
        assertThat(again.plan().text()).isEqualTo("no changes\n");
        assertThat(r.plan(home).isEmpty()).isTrue();
        assertThat(fake.changesSent()).isEqualTo(changes);
        assertThat(fake.messagesSent()).as("not even a read").isEqualTo(messages);

        // an equal desired state compiled again (a new value) is a no-op too
        assertThat(r.apply(example("home-router.yaml")).changed()).isFalse();
        assertThat(fake.messagesSent()).isEqualTo(messages);
    }

    @Test
    void aSmallChangeIsSentAsADeltaFromMemoryWithoutReadingTheKernel() throws Exception {
        FakeDataplane fake = new FakeDataplane(DEVICES);
        Reconciler r = new Reconciler(fake);
        r.apply(example("home-router.yaml"));
        long reads = fake.reads();
        long nftReads = fake.nftReads();
        int operations = fake.operations();

        Reconciler.Applied a = r.apply(homeWithExtraRoute());
        Plan p = a.plan();
        assertThat(p.text()).isEqualTo("""
                nft: table inet bulwark, one atomic batch of 1 operation
                  + add element inet bulwark set_admins: { 192.168.1.11 }
                network: 1 operation, each undone if a later step fails
                  + route 10.9.0.0/16 via 192.168.1.254 (table main)
                sysctl: 1 key, each written back if a later step fails
                  ~ net.netfilter.nf_conntrack_udp_timeout = 60 (was 30)
                """);
        assertThat(fake.operations() - operations).isEqualTo(3).isEqualTo(p.operations());
        // the table is never read; the only reads: links, addresses and routes read back after the network change, the
        // sysctl value read for its undo and once after
        assertThat(fake.nftReads()).isEqualTo(nftReads);
        assertThat(fake.reads() - reads).isEqualTo(3 + 2);
        assertThat(r.check(homeWithExtraRoute()).isEmpty()).isTrue();
    }

    @Test
    void planJsonListsTheSameChangesBySubsystem() throws Exception {
        FakeDataplane fake = new FakeDataplane(DEVICES);
        Reconciler r = new Reconciler(fake);
        r.apply(example("home-router.yaml"));
        JsonNode j = new ObjectMapper().readTree(r.plan(homeWithExtraRoute()).toJson());
        assertThat(j.get("changes").asInt()).isEqualTo(3);
        assertThat(j.get("operations").asInt()).isEqualTo(3);
        assertThat(j.get("subsystems")).extracting(n -> n.get("name").asText()).containsExactly("nft", "network", "sysctl");
        JsonNode route = j.get("subsystems").get(1).get("changes").get(0);
        assertThat(route.get("op").asText()).isEqualTo("+");
        assertThat(route.get("text").asText()).isEqualTo("route 10.9.0.0/16 via 192.168.1.254 (table main)");
        assertThat(route.get("command").asText()).isEqualTo("ip route add 10.9.0.0/16 via 192.168.1.254 table 254 proto 98");
        assertThat(j.get("warnings")).isEmpty();
        assertThat(new ObjectMapper().readTree(r.plan(example("home-router.yaml")).toJson()).get("changes").asInt()).isZero();
    }

    @Test
    void conntrackMaxRefusedInAChildNamespaceIsAWarningNotAFailure() {
        FakeDataplane fake = new FakeDataplane(DEVICES).childNamespace();
        Reconciler r = new Reconciler(fake);
        DesiredState home = example("home-router.yaml");
        Plan plan = r.plan(home);
        assertThat(plan.text()).doesNotContain("nf_conntrack_max =")
                .contains("warning: conntrack max 262144 not set in fake namespace: the kernel allows nf_conntrack_max only in "
                        + "the initial namespace (it stays 65536)");
        Reconciler.Applied a = r.apply(home);
        assertThat(a.warnings()).singleElement().asString().startsWith("conntrack max 262144 not set");
        assertThat(fake.state().sysctls()).containsEntry("nf_conntrack_max", 65536L).containsEntry("nf_conntrack_tcp_timeout_established", 3600L);
        Plan again = r.check(home);
        assertThat(again.isEmpty()).isTrue();
        assertThat(again.text()).startsWith("no changes\nwarning: conntrack max 262144");
    }

    @Test
    void memoryIsTrustedUntilAResyncReadsTheKernelBackAndRepairs() {
        FakeDataplane fake = new FakeDataplane(DEVICES);
        Reconciler r = new Reconciler(fake);
        DesiredState home = example("home-router.yaml");
        r.apply(home);
        Route ours = fake.state().routes().stream().filter(Route::ours).findFirst().orElseThrow();
        fake.removeRouteBehindOurBack(ours);
        fake.replaceNftBehindOurBack(null);

        assertThat(r.apply(home).changed()).as("principle 2: what we know is not re-read").isFalse();
        Reconciler.Applied repaired = r.resync(home);
        assertThat(repaired.plan().section("network").changes()).extracting(Change::toString)
                .containsExactly("+ route default via 203.0.113.1 (table main)");
        assertThat(repaired.plan().section("nft").changes().getFirst().toString()).isEqualTo("+ table inet bulwark");
        assertThat(fake.state().routes()).contains(ours);
        assertThat(fake.state().nft()).isEqualTo(home.nft().ruleset());
    }

    @Test
    void linksCreatedForAnEarlierConfigAreDeletedAndForeignOnesKept() {
        FakeDataplane fake = new FakeDataplane(DEVICES);
        Reconciler r = new Reconciler(fake);
        fake.addForeignRoute(new Route(Prefix.parse("198.18.0.0/15"), null, "lo", null, Route.MAIN_TABLE, 4));
        r.apply(example("small-office.yaml"));
        assertThat(fake.state().links()).containsKeys("br-dmz", "eth1.20");
        r.apply(example("home-router.yaml"));
        assertThat(fake.state().links()).doesNotContainKeys("br-dmz", "eth1.20").containsKeys("eth2", "eth3");
        assertThat(fake.state().routes()).anyMatch(rt -> rt.protocol() == 4);
    }

    @Test
    void aConfigNamingAMissingDeviceFailsToPlanAndChangesNothing() {
        FakeDataplane fake = new FakeDataplane("eth0");
        Reconciler r = new Reconciler(fake);
        FakeDataplane.State before = fake.state();
        assertThatThrownBy(() -> r.apply(example("home-router.yaml")))
                .hasMessageContaining("device eth1 does not exist");
        assertThat(fake.state()).isEqualTo(before);
        assertThat(fake.changesSent()).isZero();
    }
}
