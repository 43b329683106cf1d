package dev.bulwark.control.engine;

import static dev.bulwark.control.engine.EngineTests.await;
import static dev.bulwark.control.engine.EngineTests.failure;
import static dev.bulwark.control.engine.EngineTests.get;
import static dev.bulwark.control.engine.EngineTests.home;
import static dev.bulwark.control.engine.EngineTests.homeWithExtraRoute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.control.drift.DriftMode;
import dev.bulwark.control.drift.DriftRecord;
import dev.bulwark.dataplane.fake.FakeDataplane;
import dev.bulwark.control.reconcile.ReconcileException;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Source;
import dev.bulwark.dataplane.route.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's rules against the in-memory dataplane (no root needed): a config the kernel refuses is never
 * committed; a revision that cannot be written takes its config back out of the kernel; the caller is never blocked
 * and never runs on the writer; report-only mode records one standing drift once.
 */
class EngineFakeTest {

    static final CommitMeta BOB = CommitMeta.of("bob", "", Source.API);

    @TempDir
    Path tmp;

    private EngineOptions options(FakeDataplane fake) {
        return EngineOptions.of(tmp.resolve("state"), () -> fake).withResyncInterval(Duration.ofHours(1));
    }

    @Test
    void aConfigTheKernelRefusesIsNeverCommitted() throws Throwable {
        FakeDataplane fake = new FakeDataplane("eth0", "eth1");
        try (Engine e = Engine.start(options(fake))) {
            FakeDataplane.State empty = fake.state();
            int nft = get(e.plan(home())).section("nft").operations();
            fake.failOperation(nft + 2); // the second network step, after the nft batch went in
            assertThat(failure(e.commit(home(), BOB))).isInstanceOfSatisfying(ReconcileException.class, x -> assertThat(x.restored()).isTrue());
            assertThat(e.latest()).isEmpty();
            assertThat(fake.state()).isEqualTo(empty);

            get(e.commit(home(), BOB));
            FakeDataplane.State one = fake.state();
            fake.failOperation(2);
            assertThat(failure(e.commit(homeWithExtraRoute(), BOB))).isInstanceOf(ReconcileException.class);
            assertThat(e.latest().orElseThrow().id()).isEqualTo(1);
            assertThat(fake.state()).isEqualTo(one);
            assertThat(e.metrics().commitsFailed()).isEqualTo(2);
        }
    }

    @Test
    void theFirstCommitCannotOpenAConfirmWindowAndTouchesNothing() throws Exception {
        FakeDataplane fake = new FakeDataplane("eth0", "eth1");
        try (Engine e = Engine.start(options(fake))) {
            FakeDataplane.State empty = fake.state();
            assertThat(failure(e.commit(home(), BOB, Duration.ofSeconds(5)))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("needs an earlier revision to return to");
            assertThat(fake.state()).isEqualTo(empty);
            assertThat(e.latest()).isEmpty();
        }
    }

    @Test
    void aRevisionThatCannotBeWrittenTakesItsConfigBackOutOfTheKernel() throws Throwable {
        FakeDataplane fake = new FakeDataplane("eth0", "eth1");
        try (Engine e = Engine.start(options(fake))) {
            get(e.commit(home(), BOB));
            FakeDataplane.State one = fake.state();
            e.store().close(); // every write fails from now on
            assertThat(failure(e.commit(homeWithExtraRoute(), BOB))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThat(fake.state()).isEqualTo(one);
            assertThat(e.status().applied().id()).isEqualTo(1);
        }
    }

    @Test
    void callersAreNotBlockedAndNeverRunOnTheWriter() throws Throwable {
        FakeDataplane fake = new FakeDataplane("eth0", "eth1");
        try (Engine e = Engine.start(options(fake))) {
            get(e.commit(home(), BOB));
            // hold the writer: queue a task that waits for a latch (through the package-private hook)
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> blocker = e.runOnWriter(() -> {
                release.await(10, TimeUnit.SECONDS);
                return null;
            });
            long t0 = System.nanoTime();
            CompletableFuture<CommitResult> f = e.commit(homeWithExtraRoute(), BOB);
            assertThat(System.nanoTime() - t0).as("commit() returned while the writer was busy").isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(f).isNotDone();
            // queries answer meanwhile, from memory
            assertThat(e.latest().orElseThrow().id()).isEqualTo(1);
            assertThat(e.planFromMemory(homeWithExtraRoute())).hasValueSatisfying(p -> assertThat(p.isEmpty()).isFalse());
            boolean[] onWriter = new boolean[1];
            CompletableFuture<Void> dependent = f.thenAccept(r -> onWriter[0] = e.onWriterThread());
            release.countDown();
            get(blocker);
            get(dependent);
            assertThat(onWriter[0]).as("a dependent stage ran on the writer").isFalse();
            assertThat(get(f).revision().id()).isEqualTo(2);
        }
    }

    @Test
    void reportOnlyRecordsAStandingDriftOnceAndRepairsNothing() throws Throwable {
        FakeDataplane fake = new FakeDataplane("eth0", "eth1");
        try (Engine e = Engine.start(options(fake).withDriftMode(DriftMode.REPORT).withResyncInterval(Duration.ofMillis(30)))) {
            get(e.commit(home(), BOB));
            Route def = Route.to("0.0.0.0/0").via("203.0.113.1");
            fake.removeRouteBehindOurBack(fake.state().routes().stream().filter(r -> r.destination().isDefault()).findFirst().orElseThrow());
            await(Duration.ofSeconds(5), () -> e.metrics().checks(DriftRecord.Trigger.TIMER) >= 4 && e.metrics().driftDetected() >= 3,
                    () -> e.metrics().toString());
            assertThat(e.drift()).singleElement().satisfies(r -> {
                assertThat(r.repaired()).isFalse();
                assertThat(r.differences()).containsExactly("+ route default via 203.0.113.1 (table main)");
            });
            assertThat(fake.state().routes()).noneMatch(r -> r.destination().equals(def.destination()));
            assertThat(e.metrics().driftRepaired()).isZero();
        }
    }
}
