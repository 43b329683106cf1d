package dev.bulwark.control.engine;

import static dev.bulwark.control.engine.EngineTests.failure;
import static dev.bulwark.control.engine.EngineTests.get;
import static dev.bulwark.control.engine.EngineTests.home;
import static dev.bulwark.control.engine.EngineTests.homeForwarding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.InvalidConfigException;
import dev.bulwark.config.Problem;
import dev.bulwark.dataplane.fake.FakeDataplane;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conditional changes for HTTP If-Match (the writer compares the expected revision, so of concurrent writers with the
 * same expectation exactly one wins), read-modify-write updates, and the published running config.
 */
class EngineConditionalTest {

    static final CommitMeta API = CommitMeta.of("api", "", Source.API);

    @TempDir
    Path tmp;

    private Engine start(FakeDataplane fake) throws Exception {
        return Engine.start(EngineOptions.of(tmp.resolve("state"), () -> fake).withResyncInterval(Duration.ofHours(1)));
    }

    @Test
    void ofConcurrentCommitsExpectingTheSameRevisionExactlyOneWins() throws Throwable {
        FakeDataplane fake = new FakeDataplane("eth0", "eth1");
        try (Engine e = start(fake)) {
            assertThat(failure(e.commit(home(), API, null, 5L))).isInstanceOf(RevisionMismatchException.class);
            assertThat(e.latest()).isEmpty();
            get(e.commit(home(), API, null, 0L)); // 0: nothing committed yet
            List<CompletableFuture<CommitResult>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) all.add(e.commit(homeForwarding(1000 + i), API, null, 1L));
            int won = 0;
            for (CompletableFuture<CommitResult> f : all) {
                try {
                    f.join();
                    won++;
                } catch (java.util.concurrent.CompletionException x) {
                    assertThat(x.getCause()).isInstanceOfSatisfying(RevisionMismatchException.class, m -> {
                        assertThat(m.expected()).isEqualTo(1);
                        assertThat(m.actual()).isEqualTo(2L);
                    });
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(e.latest().orElseThrow().id()).isEqualTo(2);
            assertThat(e.running().orElseThrow().revision().id()).isEqualTo(2);
            assertThat(failure(e.rollback(1, API, 1L))).isInstanceOf(RevisionMismatchException.class);
            assertThat(get(e.rollback(1, API, 2L)).revision().rollbackOf()).isEqualTo(1);
            assertThat(e.running().orElseThrow().revision().id()).isEqualTo(3);
        }
    }

    @Test
    void anUpdateEditsTheNewestRevisionOnTheWriterAndAFailingEditChangesNothing() throws Throwable {
        FakeDataplane fake = new FakeDataplane("eth0", "eth1");
        try (Engine e = start(fake)) {
            get(e.commit(home(), API));
            FakeDataplane.State one = fake.state();
            assertThat(failure(e.update(null, base -> {
                throw new InvalidConfigException(List.of(Problem.error("/routes/0/via", "bad")));
            }, API, null))).isInstanceOf(InvalidConfigException.class);
            assertThat(fake.state()).isEqualTo(one);
            CommitResult r = get(e.update(1L, base -> {
                assertThat(base.id()).isEqualTo(1);
                return homeForwarding(8080);
            }, API, null));
            assertThat(r.revision().id()).isEqualTo(2);
            assertThat(e.running().orElseThrow().config()).isEqualTo(homeForwarding(8080));
        }
    }
}
