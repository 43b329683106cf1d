package dev.bulwark.control.engine;

import static dev.bulwark.control.engine.EngineTests.compile;
import static dev.bulwark.control.engine.EngineTests.differences;
import static dev.bulwark.control.engine.EngineTests.read;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.revision.CrashHarness;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.RevisionStore;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel half of the crash test: a child JVM runs the engine on a namespace and commits while it is
 * killed with SIGKILL at random moments (while starting and reconciling, and inside commits: between an nft batch
 * and the route changes, between the kernel apply and the revision write, inside the write). After every kill a new
 * engine starts on the same state directory and namespace, as the daemon would, and then: every acknowledged revision
 * is intact, and the kernel, read back by a fresh reader, equals the compile of the latest revision (nft table equal,
 * and nothing of links, addresses, routes or sysctls differs).
 */
@KernelTest({NETNS, VETH, NFTABLES})
class EngineCrashTest {

    @TempDir
    Path tmp;

    @Test
    void killedAtRandomMomentsTheKernelConvergesToTheLatestRevision() throws Exception {
        try (TestNamespace ns = EngineTests.router("crash")) {
            Path dir = tmp.resolve("state");
            Path log = tmp.resolve("child.log");
            long seed = Long.getLong("bulwark.crash.seed", System.nanoTime());
            long started = System.nanoTime();
            int[] aheadOfStore = {0};
            CrashHarness harness = new CrashHarness(EngineCrashChild.class, List.of(dir.toString(), ns.name()), log);
            CrashHarness.Result result = harness.run(100, 60, 1500, 8, 60_000, seed, (acked, run) -> {
                String where = "after kill " + run + " (seed " + seed + ", child log " + log + ")";
                // what the kernel held when the child died, against what the store says
                try (RevisionStore peek = RevisionStore.open(dir, EngineCrashChild.KEEP)) {
                    if (peek.latest().isPresent() && !differences(ns, compile(peek.latest().get().config())).isEmpty()) aheadOfStore[0]++;
                }
                EngineOptions o = EngineOptions.kernel(dir, ns.name()).withKeep(EngineCrashChild.KEEP).withResyncInterval(Duration.ofHours(1));
                try (Engine e = Engine.start(o)) {
                    RevisionStore store = e.store();
                    assertThat(store.damaged()).as("damaged revisions " + where).isEmpty();
                    for (Map.Entry<Long, String> a : acked.entrySet()) {
                        Revision r = store.get(a.getKey());
                        assertThat(r.sha256()).as("revision %d %s", a.getKey(), where).isEqualTo(a.getValue());
                    }
                    if (acked.isEmpty()) return;
                    Revision latest = store.latest().orElseThrow();
                    assertThat(latest.id()).as("latest " + where).isGreaterThanOrEqualTo(acked.lastKey());
                    assertThat(e.status().applied()).as("applied " + where).isEqualTo(latest);
                    assertThat(e.status().converged()).as("status " + where + ": " + e.status().lastError()).isTrue();
                    DesiredState want = compile(latest.config());
                    assertThat(read(ns).nft()).as("nft table " + where).isEqualTo(want.nft().ruleset());
                    Plan diff = differences(ns, want);
                    assertThat(diff.isEmpty()).as("kernel vs revision %d %s:%n%s", latest.id(), where, diff.text()).isTrue();
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("engine crash test: %d acknowledged commits over %d SIGKILLs (%d early, during start-up; the kernel was "
                    + "ahead of or apart from the store after %d), each restart converged; %.1f s, seed %d%n", result.acked().size(),
                    result.runs(), result.killedBeforeReady(), aheadOfStore[0], seconds, seed);
            assertThat(result.acked()).as("acknowledged commits (seed %d)", seed).hasSizeGreaterThanOrEqualTo(100);
            assertThat(result.runs()).as("kills").isGreaterThanOrEqualTo(10);
        }
    }
}
