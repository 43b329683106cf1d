package dev.bulwark.control.engine;

import static dev.bulwark.control.engine.EngineTests.await;
import static dev.bulwark.control.engine.EngineTests.compile;
import static dev.bulwark.control.engine.EngineTests.differences;
import static dev.bulwark.control.engine.EngineTests.failure;
import static dev.bulwark.control.engine.EngineTests.get;
import static dev.bulwark.control.engine.EngineTests.home;
import static dev.bulwark.control.engine.EngineTests.homeForwarding;
import static dev.bulwark.control.engine.EngineTests.homeOpening8443;
import static dev.bulwark.control.engine.EngineTests.homeRouterYaml;
import static dev.bulwark.control.engine.EngineTests.matches;
import static dev.bulwark.control.engine.EngineTests.read;
import static dev.bulwark.control.engine.EngineTests.router;
import static dev.bulwark.control.engine.EngineTests.yaml;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.ReconcileException;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.Source;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on the real kernel, in a throwaway namespace with veth devices eth0 and eth1: start with an initial
 * config, commits as deltas, a no-op commit that sends nothing, refusals (anti-lockout; the kernel's) that write
 * nothing and leave the kernel as it was, commit-confirm expiry (also across a restart inside the window, and a
 * restart after the deadline passed), rollback.
 */
@KernelTest({NETNS, VETH, NFTABLES, NFT_CLI})
class EngineKernelTest {

    @TempDir
    Path tmp;

    static final CommitMeta ALICE = CommitMeta.of("alice", "test", Source.API);

    /** Engine options on the namespace, with its dataplane kept for counting messages. */
    private EngineOptions options(TestNamespace ns, AtomicReference<KernelDataplane> dp) {
        return EngineOptions.kernel(tmp.resolve("state"), ns.name()).withResyncInterval(Duration.ofHours(1))
                .withMonitor(null)
                .withDataplane(() -> {
                    KernelDataplane k = KernelDataplane.open(ns.name());
                    dp.set(k);
                    return k;
                });
    }

    @Test
    void startsFromTheInitialConfigCommitsDeltasAndANoOpSendsNothing() throws Throwable {
        try (TestNamespace ns = router("eng")) {
            AtomicReference<KernelDataplane> dp = new AtomicReference<>();
            Path initial = tmp.resolve("router.yaml");
            Files.writeString(initial, homeRouterYaml());
            try (Engine e = Engine.start(options(ns, dp).withInitialConfig(initial))) {
                Revision first = e.latest().orElseThrow();
                assertThat(first.id()).isEqualTo(1);
                assertThat(first.source()).isEqualTo(Source.CLI);
                assertThat(first.message()).contains(initial.toString());
                assertThat(e.status().converged()).isTrue();
                assertThat(matches(ns, compile(home()))).isTrue();

                // a no-op: the same config again is a revision, and sends nothing to the kernel
                long changes = dp.get().changesSent();
                long messages = dp.get().messagesSent();
                assertThat(e.planFromMemory(home())).hasValueSatisfying(p -> assertThat(p.isEmpty()).isTrue());
                CommitResult same = get(e.commit(home(), ALICE));
                assertThat(same.plan().isEmpty()).isTrue();
                assertThat(same.revision().id()).isEqualTo(2);
                assertThat(dp.get().changesSent()).as("changes sent by a no-op commit").isEqualTo(changes);
                assertThat(dp.get().messagesSent()).as("messages (reads included) sent by a no-op commit").isEqualTo(messages);

                // a small change goes as a delta planned from memory: the two rules of the port-forward, replaced by
                // handle in one batch; nothing read
                Plan planned = e.planFromMemory(homeForwarding(8443)).orElseThrow();
                assertThat(planned.sections()).singleElement().satisfies(s -> {
                    assertThat(s.subsystem()).isEqualTo("nft");
                    assertThat(s.summary()).doesNotContain("replaces the table whole");
                });
                assertThat(planned.operations()).isEqualTo(2);
                CommitResult r = get(e.commit(homeForwarding(8443), ALICE));
                assertThat(r.plan().text()).isEqualTo(planned.text());
                // the generation the batch is guarded by, BEGIN, the two replacements, END
                assertThat(dp.get().changesSent() - changes).isEqualTo(1 + 1 + planned.operations() + 1);
                assertThat(matches(ns, compile(homeForwarding(8443)))).isTrue();
                assertThat(e.metrics().partialReconcile().count()).isEqualTo(2);
                assertThat(e.metrics().fullReconcile().count()).isEqualTo(1); // the first apply read the kernel
            }
            // a restart: the store holds 3 revisions, the kernel already matches: the startup reconcile reads it back and
            // changes nothing (no nft batch: the ruleset generation stays; links, addresses, routes as they were)
            int generation = EngineTests.generation(ns);
            EngineTests.Kernel before = read(ns);
            try (Engine e = Engine.start(options(ns, dp))) {
                assertThat(e.latest().orElseThrow().id()).isEqualTo(3);
                assertThat(e.status().converged()).isTrue();
                assertThat(e.metrics().fullReconcile().count()).isEqualTo(1);
                assertThat(EngineTests.generation(ns)).isEqualTo(generation);
                assertThat(read(ns)).isEqualTo(before);
            }
        }
    }

    @Test
    void aCommitThatWouldLockTheApiOutIsRefusedNothingWrittenKernelUnchanged() throws Throwable {
        Config lockout = yaml(homeRouterYaml().replace("listen: \"127.0.0.1:8080\"", "listen: \"192.168.1.1:8080\"")
                .replace("lan: { interfaces: [lan], input: accept", "lan: { interfaces: [lan], input: drop"));
        try (TestNamespace ns = router("englock")) {
            AtomicReference<KernelDataplane> dp = new AtomicReference<>();
            try (Engine e = Engine.start(options(ns, dp))) {
                get(e.commit(home(), ALICE));
                EngineTests.Kernel before = read(ns);
                long changes = dp.get().changesSent();
                List<String> files = files(tmp.resolve("state"));

                Throwable t = failure(e.commit(lockout, ALICE));
                assertThat(t).isInstanceOfSatisfying(CommitRefusedException.class, x -> {
                    assertThat(x.reason()).isEqualTo(CommitRefusedException.Reason.ANTI_LOCKOUT);
                    assertThat(x.problems()).singleElement().satisfies(p -> {
                        assertThat(p.pointer()).isEqualTo("/zones/lan/input");
                        assertThat(p.message()).contains("management API on 192.168.1.1:8080 would be cut off");
                    });
                    assertThat(x.getMessage()).contains("nothing was committed and the kernel is unchanged");
                });
                assertThat(e.latest().orElseThrow().id()).isEqualTo(1);
                assertThat(files(tmp.resolve("state"))).isEqualTo(files);
                assertThat(dp.get().changesSent()).isEqualTo(changes);
                assertThat(read(ns)).isEqualTo(before);
                assertThat(e.metrics().commitsRefused()).isEqualTo(1);

                // with anti-lockout off, the operator may
                Config off = yaml(homeRouterYaml().replace("listen: \"127.0.0.1:8080\"", "listen: \"192.168.1.1:8080\"")
                        .replace("lan: { interfaces: [lan], input: accept", "lan: { interfaces: [lan], input: drop")
                        .replace("anti-lockout: true", "anti-lockout: false"));
                assertThat(get(e.commit(off, ALICE)).revision().id()).isEqualTo(2);
            }
        }
    }

    @Test
    void aConfigTheKernelRefusesIsNotCommittedAndTheKernelIsRestored() throws Throwable {
        Config unreachable = yaml(homeRouterYaml()
                .replace("elements: [192.168.1.10]", "elements: [192.168.1.10, 192.168.1.11]")
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 10.99.99.99 }"));
        try (TestNamespace ns = router("engref")) {
            AtomicReference<KernelDataplane> dp = new AtomicReference<>();
            try (Engine e = Engine.start(options(ns, dp))) {
                get(e.commit(home(), ALICE));
                EngineTests.Kernel before = read(ns);
                List<String> files = files(tmp.resolve("state"));

                Throwable t = failure(e.commit(unreachable, ALICE));
                assertThat(t).isInstanceOfSatisfying(ReconcileException.class, x -> {
                    assertThat(x.errno()).isEqualTo(101); // ENETUNREACH
                    assertThat(x.restored()).isTrue();
                });
                assertThat(e.latest().orElseThrow().id()).isEqualTo(1);
                assertThat(files(tmp.resolve("state"))).isEqualTo(files);
                assertThat(read(ns)).isEqualTo(before);
                assertThat(e.metrics().commitsFailed()).isEqualTo(1);
                assertThat(e.status().applied().id()).isEqualTo(1);
                // the next commit works from a full read (the failure dropped the memory)
                get(e.commit(homeForwarding(444), ALICE));
                assertThat(matches(ns, compile(homeForwarding(444)))).isTrue();
            }
        }
    }

    @Test
    void anUnconfirmedCommitIsRolledBackInTheKernelAtItsDeadline() throws Throwable {
        DesiredState home = compile(home());
        DesiredState open = compile(homeOpening8443());
        try (TestNamespace ns = router("engconf")) {
            try (Engine e = Engine.start(options(ns, new AtomicReference<>()))) {
                get(e.commit(home(), ALICE));
                CommitResult r = get(e.commit(homeOpening8443(), ALICE, Duration.ofSeconds(1)));
                assertThat(r.pending()).isNotNull();
                assertThat(r.pending().rollbackTo()).isEqualTo(1);
                assertThat(matches(ns, open)).isTrue();
                assertThat(ns.exec("nft", "list", "table", "inet", "bulwark")).contains("comment \"web-in\"");

                Duration took = await(Duration.ofSeconds(5), () -> matches(ns, home), () -> differences(ns, home).text());
                Revision rb = e.latest().orElseThrow();
                assertThat(rb.id()).isEqualTo(3);
                assertThat(rb.source()).isEqualTo(Source.CONFIRM_TIMEOUT);
                assertThat(rb.rollbackOf()).isEqualTo(1);
                assertThat(rb.time()).isAfterOrEqualTo(r.pending().deadline());
                assertThat(e.pending()).isEmpty();
                assertThat(ns.exec("nft", "list", "table", "inet", "bulwark")).doesNotContain("web-in");
                assertThat(e.metrics().confirmTimeouts()).isEqualTo(1);
                assertThat(e.status().applied().id()).isEqualTo(3);
                System.out.printf("commit-confirm: rolled back in the kernel %d ms after the commit (window 1 s)%n", took.toMillis());

                // confirmed in time, it stays
                CommitResult kept = get(e.commit(homeOpening8443(), ALICE, Duration.ofSeconds(30)));
                assertThat(get(e.confirm()).revision()).isEqualTo(kept.revision().id());
                assertThat(e.pending()).isEmpty();
                assertThat(matches(ns, open)).isTrue();
            }
        }
    }

    @Test
    void aRestartInsideTheWindowStillRollsBackOnTime() throws Throwable {
        DesiredState home = compile(home());
        DesiredState open = compile(homeOpening8443());
        try (TestNamespace ns = router("engconfr")) {
            Instant deadline;
            try (Engine e = Engine.start(options(ns, new AtomicReference<>()))) {
                get(e.commit(home(), ALICE));
                deadline = get(e.commit(homeOpening8443(), ALICE, Duration.ofSeconds(2))).pending().deadline();
            }
            // down for a moment inside the window; the kernel keeps the unconfirmed config meanwhile
            assertThat(matches(ns, open)).isTrue();
            try (Engine e = Engine.start(options(ns, new AtomicReference<>()))) {
                assertThat(Instant.now()).isBefore(deadline);
                assertThat(e.pending()).hasValueSatisfying(p -> assertThat(p.deadline()).isEqualTo(deadline));
                assertThat(e.status().applied().id()).isEqualTo(2);
                assertThat(matches(ns, open)).isTrue();
                await(Duration.ofSeconds(6), () -> matches(ns, home), () -> differences(ns, home).text());
                assertThat(Instant.now()).isAfterOrEqualTo(deadline);
                Revision rb = e.latest().orElseThrow();
                assertThat(rb.source()).isEqualTo(Source.CONFIRM_TIMEOUT);
                assertThat(rb.rollbackOf()).isEqualTo(1);
                assertThat(e.pending()).isEmpty();
            }
        }
    }

    @Test
    void aWindowThatEndedWhileDownIsRolledBackAtStart() throws Throwable {
        DesiredState home = compile(home());
        try (TestNamespace ns = router("engconfd")) {
            Instant deadline;
            try (Engine e = Engine.start(options(ns, new AtomicReference<>()))) {
                get(e.commit(home(), ALICE));
                deadline = get(e.commit(homeOpening8443(), ALICE, Duration.ofMillis(300))).pending().deadline();
            }
            await(Duration.ofSeconds(2), () -> !Instant.now().isBefore(deadline), () -> "the deadline " + deadline);
            AtomicReference<KernelDataplane> dp = new AtomicReference<>();
            try (Engine e = Engine.start(options(ns, dp))) {
                // start returns after the rollback: the unconfirmed config never came back
                assertThat(matches(ns, home)).isTrue();
                assertThat(e.latest().orElseThrow().source()).isEqualTo(Source.CONFIRM_TIMEOUT);
                assertThat(e.status().converged()).isTrue();
            }
        }
    }

    @Test
    void rollbackToAnEarlierRevisionAppliesItAsANewRevision() throws Throwable {
        try (TestNamespace ns = router("engrb")) {
            try (Engine e = Engine.start(options(ns, new AtomicReference<>()))) {
                get(e.commit(home(), ALICE));
                get(e.commit(homeForwarding(8443), ALICE));
                CommitResult r = get(e.rollback(1, ALICE));
                assertThat(r.revision().id()).isEqualTo(3);
                assertThat(r.revision().rollbackOf()).isEqualTo(1);
                assertThat(r.plan().operations()).isEqualTo(2); // the port-forward's two rules, back
                assertThat(matches(ns, compile(home()))).isTrue();
                assertThat(e.metrics().rollbacks()).isEqualTo(1);
                assertThat(failure(e.rollback(42, ALICE))).hasMessageContaining("there is no revision 42");
            }
        }
    }

    static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
