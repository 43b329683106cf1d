package dev.bulwark.control.engine;

import static dev.bulwark.control.engine.EngineTests.await;
import static dev.bulwark.control.engine.EngineTests.compile;
import static dev.bulwark.control.engine.EngineTests.differences;
import static dev.bulwark.control.engine.EngineTests.get;
import static dev.bulwark.control.engine.EngineTests.home;
import static dev.bulwark.control.engine.EngineTests.homeForwarding;
import static dev.bulwark.control.engine.EngineTests.homeWithExtraRoute;
import static dev.bulwark.control.engine.EngineTests.matches;
import static dev.bulwark.control.engine.EngineTests.router;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.control.drift.DriftMode;
import dev.bulwark.control.drift.DriftRecord;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Source;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift on the real kernel: the engine applied examples/home-router.yaml to a namespace with veth devices eth0 and
 * eth1 and watches its notifications (debounce 200 ms; the resync timer an hour away, so only notifications act).
 * Changes from outside to what is ours are found and repaired within a bounded wait; foreign changes and our own
 * changes' echoes start no check at all; report-only records without repairing; the timer alone, without
 * notifications, is a backstop.
 */
@KernelTest({NETNS, VETH, NFTABLES, NFT_CLI})
class EngineDriftTest {

    static final Duration DEBOUNCE = Duration.ofMillis(200);
    static final Duration LIMIT = Duration.ofSeconds(5);
    static final CommitMeta OPS = CommitMeta.of("ops", "", Source.API);

    @TempDir
    Path tmp;

    private EngineOptions watching(TestNamespace ns, DriftMode mode) {
        return EngineOptions.kernel(tmp.resolve("state"), ns.name()).withDebounce(DEBOUNCE).withResyncInterval(Duration.ofHours(1))
                .withDriftMode(mode);
    }

    private static String diagnosis(Engine e, TestNamespace ns, DesiredState want) {
        return "kernel vs committed:\n" + differences(ns, want).text() + "drift log: " + e.drift() + "\nnotifications:\n  "
                + String.join("\n  ", e.recentNotifications()) + "\nstatus: " + e.status();
    }

    @Test
    void aFlushOfOurTableFromOutsideIsRepaired() throws Throwable {
        DesiredState home = compile(home());
        try (TestNamespace ns = router("drnft"); Engine e = Engine.start(watching(ns, DriftMode.REPAIR))) {
            get(e.commit(home(), OPS));
            ns.exec("nft", "flush", "table", "inet", "bulwark");
            assertThat(matches(ns, home)).isFalse();
            Duration took = await(LIMIT, () -> e.metrics().driftRepaired() == 1 && matches(ns, home), () -> diagnosis(e, ns, home));

            assertThat(e.drift()).singleElement().satisfies(r -> {
                assertThat(r.trigger()).isEqualTo(DriftRecord.Trigger.NOTIFICATION);
                assertThat(r.repaired()).isTrue();
                assertThat(r.revision()).isEqualTo(1);
                // a rule deleted, and so on (its anonymous sets with it): the first 20 are kept, the rest counted
                assertThat(r.notifications().getFirst()).startsWith("nft delete rule (table inet bulwark) by netlink port ");
                assertThat(r.notifications()).allMatch(n -> n.startsWith("nft delete ") && n.contains("(table inet bulwark)")
                        || n.matches("\\.\\.\\. and \\d+ more"));
                assertThat(r.differences()).isNotEmpty();
            });
            EngineMetrics.Snapshot m = e.metrics();
            assertThat(m.driftDetected()).isEqualTo(1);
            assertThat(m.checks(DriftRecord.Trigger.NOTIFICATION)).as("one check for the whole burst of deletions").isEqualTo(1);
            assertThat(e.status().converged()).isTrue();
            System.out.printf("drift: nft flush table inet bulwark repaired in %d ms (debounce %d ms): %s%n", took.toMillis(),
                    DEBOUNCE.toMillis(), e.drift().getFirst().differences().size() + " differences");
        }
    }

    @Test
    void aDeletedRouteOfOursIsRepaired() throws Throwable {
        DesiredState home = compile(home());
        try (TestNamespace ns = router("drroute"); Engine e = Engine.start(watching(ns, DriftMode.REPAIR))) {
            get(e.commit(home(), OPS));
            ns.exec("ip", "route", "del", "default");
            assertThat(ns.exec("ip", "route", "show", "default")).isBlank();
            Duration took = await(LIMIT, () -> e.metrics().driftRepaired() == 1 && matches(ns, home), () -> diagnosis(e, ns, home));

            assertThat(ns.exec("ip", "route", "show", "default")).contains("default via 203.0.113.1 dev eth0 proto 98");
            assertThat(e.drift()).singleElement().satisfies(r -> {
                assertThat(r.trigger()).isEqualTo(DriftRecord.Trigger.NOTIFICATION);
                assertThat(r.notifications()).singleElement().asString().startsWith("route default via 203.0.113.1 dev eth0 table 254 proto 98 deleted by netlink port ");
                assertThat(r.differences()).containsExactly("+ route default via 203.0.113.1 (table main)");
                assertThat(r.repaired()).isTrue();
            });
            System.out.printf("drift: ip route del default repaired in %d ms (debounce %d ms)%n", took.toMillis(), DEBOUNCE.toMillis());
        }
    }

    @Test
    void foreignChangesAndOurOwnEchoesStartNoCheck() throws Throwable {
        DesiredState home = compile(home());
        try (TestNamespace ns = router("drforeign"); Engine e = Engine.start(watching(ns, DriftMode.REPAIR))) {
            // our own changes, in every subsystem, with their notifications (echoes) and the kernel's follow-ups
            get(e.commit(home(), OPS));
            get(e.commit(homeWithExtraRoute(), OPS));
            get(e.commit(homeForwarding(8443), OPS));
            get(e.commit(home(), OPS));
            // foreign changes: another table, a route of another protocol, an address on a device the config does not name
            ns.exec("nft", "add", "table", "ip", "foreign");
            ns.exec("nft", "add", "chain", "ip", "foreign", "c");
            ns.exec("ip", "route", "add", "10.50.0.0/16", "via", "203.0.113.1", "proto", "static");
            ns.exec("ip", "link", "set", "peer0", "up");
            ns.exec("ip", "address", "add", "198.51.100.7/24", "dev", "peer0");

            // each was read and judged not ours (notifications of one socket arrive in order: the echoes came first)
            await(LIMIT, () -> {
                List<String> seen = e.recentNotifications();
                return seen.stream().anyMatch(s -> s.startsWith("ignored: nft add chain (table ip foreign)"))
                        && seen.stream().anyMatch(s -> s.startsWith("ignored: address 198.51.100.7/24 dev peer0 added"));
            }, () -> diagnosis(e, ns, home));
            List<String> seen = e.recentNotifications();
            assertThat(seen).anyMatch(s -> s.startsWith("ignored: nft add table (table ip foreign) by netlink port "));
            assertThat(seen).anyMatch(s -> s.startsWith("ignored: route 10.50.0.0/16 via 203.0.113.1 dev eth0 table 254 proto 4 added"));
            assertThat(seen).anyMatch(s -> s.startsWith("ignored: nft add rule (table inet bulwark) by netlink port ")); // an echo
            EngineMetrics.Snapshot m = e.metrics();
            assertThat(m.notificationsSeen()).isGreaterThan(10);
            assertThat(m.notificationsRelevant()).as("notifications judged ours: %s", seen).isZero();
            assertThat(m.checks(DriftRecord.Trigger.NOTIFICATION)).isZero();
            assertThat(m.driftDetected()).isZero();
            assertThat(e.drift()).isEmpty();

            // foreign objects survive our repairs (principle 3): flush our table, and only it is put back
            ns.exec("nft", "flush", "table", "inet", "bulwark");
            await(LIMIT, () -> e.metrics().driftRepaired() == 1 && matches(ns, home), () -> diagnosis(e, ns, home));
            assertThat(e.drift()).singleElement().satisfies(r -> assertThat(r.notifications()).noneMatch(n -> n.contains("foreign") || n.contains("10.50.")));
            assertThat(ns.exec("nft", "list", "tables")).contains("table ip foreign");
            assertThat(ns.exec("ip", "route", "show", "10.50.0.0/16")).contains("proto static");
            assertThat(ns.exec("ip", "address", "show", "dev", "peer0")).contains("198.51.100.7/24");
        }
    }

    @Test
    void reportOnlyRecordsTheDriftAndLeavesItUntilAskedToRepair() throws Throwable {
        DesiredState home = compile(home());
        try (TestNamespace ns = router("drreport"); Engine e = Engine.start(watching(ns, DriftMode.REPORT))) {
            get(e.commit(home(), OPS));
            ns.exec("ip", "route", "del", "default");
            // the counter goes up just before the record is added: wait for both
            await(LIMIT, () -> e.metrics().driftDetected() == 1 && !e.drift().isEmpty(), () -> diagnosis(e, ns, home));

            assertThat(e.drift()).singleElement().satisfies(r -> {
                assertThat(r.repaired()).isFalse();
                assertThat(r.error()).isEqualTo("report only");
                assertThat(r.differences()).containsExactly("+ route default via 203.0.113.1 (table main)");
            });
            assertThat(e.metrics().driftRepaired()).isZero();
            assertThat(e.status().drift()).isNotNull();
            assertThat(e.status().converged()).isFalse();
            assertThat(ns.exec("ip", "route", "show", "default")).isBlank();
            // memory now knows the drift: the plan back to the committed config is answered without the writer
            assertThat(e.planFromMemory(home())).hasValueSatisfying(p -> assertThat(p.text()).contains("+ route default via 203.0.113.1 (table main)"));

            // another change: the standing drift grows, a second record
            ns.exec("nft", "flush", "table", "inet", "bulwark");
            await(LIMIT, () -> e.metrics().driftDetected() == 2 && e.drift().size() == 2, () -> diagnosis(e, ns, home));
            assertThat(e.drift()).hasSize(2);
            assertThat(matches(ns, home)).isFalse();

            // an operator's resync repairs
            Engine.ResyncResult r = get(e.resync());
            assertThat(r.outcome()).isEqualTo(Engine.Outcome.REPAIRED);
            assertThat(matches(ns, home)).isTrue();
            assertThat(e.status().converged()).isTrue();
        }
    }

    @Test
    void withoutNotificationsTheResyncTimerRepairs() throws Throwable {
        DesiredState home = compile(home());
        try (TestNamespace ns = router("drtimer");
             Engine e = Engine.start(EngineOptions.kernel(tmp.resolve("state"), ns.name()).withMonitor(null)
                     .withResyncInterval(Duration.ofMillis(300)))) {
            get(e.commit(home(), OPS));
            ns.exec("nft", "flush", "table", "inet", "bulwark");
            ns.exec("ip", "route", "del", "default");
            Duration took = await(LIMIT, () -> e.metrics().driftRepaired() >= 1 && matches(ns, home), () -> diagnosis(e, ns, home));
            // one repair, or two when a tick fell between the two commands
            assertThat(e.drift()).isNotEmpty().allSatisfy(r -> {
                assertThat(r.trigger()).isEqualTo(DriftRecord.Trigger.TIMER);
                assertThat(r.repaired()).isTrue();
            });
            assertThat(e.drift().stream().flatMap(r -> r.differences().stream())).contains("+ route default via 203.0.113.1 (table main)");
            assertThat(e.metrics().checks(DriftRecord.Trigger.NOTIFICATION)).isZero();
            System.out.printf("drift: repaired by the 300 ms resync timer alone in %d ms%n", took.toMillis());
        }
    }
}
