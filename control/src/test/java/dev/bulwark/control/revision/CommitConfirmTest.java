package dev.bulwark.control.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit-confirm on an injected clock and a manual scheduler: expiry on time, a restart inside the window (the
 * persisted deadline is honoured by new store, confirm and timer instances), a deadline that passed while down,
 * confirm in time, and the rules for commits inside a window.
 */
class CommitConfirmTest {

    @TempDir
    Path dir;

    final Instant t0 = Instant.parse("2025-06-01T12:00:00Z");
    final TestClock clock = new TestClock(t0);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final List<String> rollbacks = new ArrayList<>();

    /** One daemon's worth of state: store, commit-confirm, timer. */
    final class Daemon implements AutoCloseable {
        final RevisionStore store;
        final CommitConfirm confirm;
        final ConfirmTimer timer;

        Daemon() throws IOException {
            store = RevisionStore.open(dir, 100, clock);
            confirm = CommitConfirm.open(store, clock, (rb, expired) -> rollbacks.add(rb.id() + "<-" + expired.revision()));
            timer = new ConfirmTimer(confirm, scheduler, clock);
            timer.start();
        }

        @Override
        public void close() throws IOException {
            timer.close();
            store.close();
        }
    }

    final List<Daemon> open = new ArrayList<>();

    Daemon start() throws IOException {
        Daemon d = new Daemon();
        open.add(d);
        return d;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Daemon d : open) d.close();
    }

    static CommitMeta meta(String m) {
        return CommitMeta.of("alice", m, Source.API);
    }

    Path pendingFile() {
        return dir.resolve(CommitConfirm.FILE);
    }

    @Test
    void anUnconfirmedCommitIsRolledBackAtItsDeadline() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        Revision r2 = d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        assertThat(r2.id()).isEqualTo(2);
        assertThat(d.confirm.pending()).get().satisfies(p -> {
            assertThat(p.revision()).isEqualTo(2);
            assertThat(p.rollbackTo()).isEqualTo(1);
            assertThat(p.deadline()).isEqualTo(t0.plusSeconds(60));
            assertThat(p.revisionSha256()).isEqualTo(r2.sha256());
        });
        assertThat(Files.readString(pendingFile())).startsWith("bulwark-pending-confirm 1 sha256=")
                .contains("\nrevision: 2\n", "\nrollback-to: 1\n", "\ndeadline: 2025-06-01T12:01:00Z\n");

        scheduler.advance(Duration.ofSeconds(59));
        assertThat(rollbacks).isEmpty();
        assertThat(d.store.latest()).get().extracting(Revision::id).isEqualTo(2L);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(rollbacks).containsExactly("3<-2");
        Revision rb = d.store.latest().orElseThrow();
        assertThat(rb.id()).isEqualTo(3);
        assertThat(rb.source()).isEqualTo(Source.CONFIRM_TIMEOUT);
        assertThat(rb.author()).isEqualTo(CommitConfirm.SYSTEM_AUTHOR);
        assertThat(rb.rollbackOf()).isEqualTo(1L);
        assertThat(rb.time()).isEqualTo(t0.plusSeconds(60));
        assertThat(rb.message()).contains("revision 2 by alice was not confirmed by 2025-06-01T12:01:00Z; back to revision 1");
        assertThat(rb.configText()).isEqualTo(d.store.get(1).configText());
        assertThat(d.confirm.pending()).isEmpty();
        assertThat(Files.exists(pendingFile())).isFalse();
        assertThat(scheduler.scheduled()).isZero();
        assertThatThrownBy(d.confirm::confirm).isInstanceOf(IllegalStateException.class).hasMessageContaining("no commit is waiting");
    }

    @Test
    void confirmingInTimeCancelsTheRollback() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        scheduler.advance(Duration.ofSeconds(59));
        PendingConfirm confirmed = d.confirm.confirm();
        assertThat(confirmed.revision()).isEqualTo(2);
        assertThat(Files.exists(pendingFile())).isFalse();
        assertThat(scheduler.scheduled()).isZero();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(rollbacks).isEmpty();
        assertThat(d.store.latest()).get().extracting(Revision::id).isEqualTo(2L);
        d.close();
        open.remove(d);

        Daemon again = start();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(again.confirm.pending()).isEmpty();
        assertThat(rollbacks).isEmpty();
        assertThat(again.store.latest()).get().extracting(Revision::id).isEqualTo(2L);
    }

    @Test
    void aRestartInsideTheWindowStillRollsBackOnTime() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        scheduler.advance(Duration.ofSeconds(20));
        d.close(); // the daemon goes away 20 s into the window ...
        open.remove(d);
        assertThat(scheduler.scheduled()).isZero();
        scheduler.advance(Duration.ofSeconds(5)); // ... and is down for 5 s

        Daemon restarted = start(); // new store, commit-confirm and timer instances read the persisted window
        assertThat(restarted.confirm.pending()).get().extracting(PendingConfirm::deadline).isEqualTo(t0.plusSeconds(60));
        assertThat(restarted.timer.deadline()).contains(t0.plusSeconds(60));
        scheduler.advance(Duration.ofSeconds(34)); // t0 + 59 s
        assertThat(rollbacks).isEmpty();
        scheduler.advance(Duration.ofSeconds(1)); // t0 + 60 s: on time
        assertThat(rollbacks).containsExactly("3<-2");
        Revision rb = restarted.store.latest().orElseThrow();
        assertThat(rb.time()).isEqualTo(t0.plusSeconds(60));
        assertThat(rb.source()).isEqualTo(Source.CONFIRM_TIMEOUT);
        assertThat(rb.configText()).isEqualTo(restarted.store.get(1).configText());
    }

    @Test
    void aDeadlineThatPassedWhileDownRollsBackAtOnce() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        d.close();
        open.remove(d);
        clock.advance(Duration.ofMinutes(5)); // down across the deadline

        Daemon restarted = start();
        assertThat(rollbacks).isEmpty();
        scheduler.runDue(); // the timer armed with no delay
        assertThat(rollbacks).containsExactly("3<-2");
        assertThat(restarted.store.latest().orElseThrow().rollbackOf()).isEqualTo(1L);
        assertThat(restarted.confirm.pending()).isEmpty();
    }

    @Test
    void aConfirmAtTheDeadlineIsTooLate() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60)); // the timer has not run yet
        assertThatThrownBy(d.confirm::confirm).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too late").hasMessageContaining("rolled back to revision 1");
        scheduler.runDue();
        assertThat(rollbacks).containsExactly("3<-2");
    }

    @Test
    void aSecondConfirmedCommitKeepsTheFirstTargetAndMovesTheDeadline() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("step 1"), Duration.ofSeconds(60));
        scheduler.advance(Duration.ofSeconds(30));
        d.confirm.commit(TestConfigs.config(3), meta("step 2"), Duration.ofSeconds(60));
        assertThat(d.confirm.pending()).get().satisfies(p -> {
            assertThat(p.revision()).isEqualTo(3);
            assertThat(p.rollbackTo()).isEqualTo(1);
            assertThat(p.deadline()).isEqualTo(t0.plusSeconds(90));
        });
        scheduler.advance(Duration.ofSeconds(59));
        assertThat(rollbacks).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(rollbacks).containsExactly("4<-3");
        assertThat(d.store.latest().orElseThrow().configText()).isEqualTo(d.store.get(1).configText());
    }

    @Test
    void aPlainCommitOrRollbackInsideTheWindowConfirmsIt() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        d.confirm.commit(TestConfigs.config(3), meta("plain"));
        assertThat(d.confirm.pending()).isEmpty();
        assertThat(Files.exists(pendingFile())).isFalse();
        d.confirm.commit(TestConfigs.config(4), meta("risky again"), Duration.ofSeconds(60));
        assertThat(d.confirm.pending()).get().extracting(PendingConfirm::rollbackTo).isEqualTo(3L);
        Revision rb = d.confirm.rollback(2, meta("operator's choice"));
        assertThat(rb.rollbackOf()).isEqualTo(2L);
        assertThat(d.confirm.pending()).isEmpty();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(rollbacks).isEmpty();
        assertThat(d.store.latest()).contains(rb);
    }

    @Test
    void aFailedPlainCommitLeavesTheWindowOpen() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        d.store.close(); // the next commit fails
        assertThatThrownBy(() -> d.confirm.commit(TestConfigs.config(3), meta("plain"))).isInstanceOf(IllegalStateException.class);
        assertThat(d.confirm.pending()).get().extracting(PendingConfirm::revision).isEqualTo(2L);
        assertThat(Files.exists(pendingFile())).isTrue();
    }

    @Test
    void theFirstCommitCannotWaitForConfirmation() throws IOException {
        Daemon d = start();
        assertThatThrownBy(() -> d.confirm.commit(TestConfigs.config(1), meta("x"), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an earlier revision");
        assertThat(Files.exists(pendingFile())).isFalse();
        assertThat(d.store.latest()).isEmpty();
    }

    @Test
    void aWindowWhoseCommitNeverHappenedIsDroppedAtOpen() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        byte[] window = Files.readAllBytes(pendingFile());
        d.confirm.confirm();
        d.close();
        open.remove(d);
        // a crash after the window was written and before revision 2 was: recreate that state by hand
        Files.delete(d.store.file(2));
        Files.write(pendingFile(), window);

        Daemon restarted = start();
        assertThat(restarted.confirm.pending()).isEmpty();
        assertThat(Files.exists(pendingFile())).isFalse();
        assertThat(restarted.confirm.commit(TestConfigs.config(3), meta("next")).id()).isEqualTo(2);
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(rollbacks).isEmpty();
    }

    @Test
    void aRollbackAlreadyCommittedBeforeACrashIsNotRepeated() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        byte[] window = Files.readAllBytes(pendingFile());
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(rollbacks).containsExactly("3<-2");
        d.close();
        open.remove(d);
        Files.write(pendingFile(), window); // as if the crash came before the window's file was deleted

        Daemon restarted = start();
        scheduler.runDue();
        assertThat(restarted.confirm.pending()).isEmpty();
        assertThat(rollbacks).containsExactly("3<-2");
        assertThat(restarted.store.list()).hasSize(3);
    }

    @Test
    void aDamagedWindowIsReportedAtOpen() throws IOException {
        Daemon d = start();
        d.confirm.commit(TestConfigs.config(1), meta("base"));
        d.confirm.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(60));
        d.close();
        open.remove(d);
        byte[] b = Files.readAllBytes(pendingFile());
        b[b.length - 3] ^= 1;
        Files.write(pendingFile(), b);
        try (RevisionStore s = RevisionStore.open(dir, 100, clock)) {
            assertThatThrownBy(() -> CommitConfirm.open(s, clock, (rb, p) -> { }))
                    .isInstanceOf(CorruptRevisionException.class)
                    .hasMessageContaining("pending-confirm is damaged (checksum mismatch")
                    .hasMessageContaining("remove the file to go on");
        }
    }

    @Test
    void aFailingRollbackActionLeavesTheRollbackCommitted() throws IOException {
        try (RevisionStore s = RevisionStore.open(dir, 100, clock)) {
            CommitConfirm cc = CommitConfirm.open(s, clock, (rb, p) -> {
                throw new IOException("netlink said no");
            });
            cc.commit(TestConfigs.config(1), meta("base"));
            cc.commit(TestConfigs.config(2), meta("risky"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(cc.expireIfDue()).get().extracting(Revision::id).isEqualTo(3L);
            assertThat(cc.pending()).isEmpty();
            assertThat(cc.expireIfDue()).isEmpty();
        }
    }

    /** The same with a real scheduled executor and the system clock: the adapter fires within a bounded wait. */
    @Test
    void aRealExecutorFiresTheRollback() throws Exception {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch done = new CountDownLatch(1);
        try (RevisionStore s = RevisionStore.open(dir, 100, Clock.systemUTC())) {
            CommitConfirm cc = CommitConfirm.open(s, Clock.systemUTC(), (rb, p) -> done.countDown());
            try (ConfirmTimer timer = new ConfirmTimer(cc, ConfirmTimer.Scheduler.of(ex), Clock.systemUTC())) {
                timer.start();
                cc.commit(TestConfigs.config(1), meta("base"));
                long start = System.nanoTime();
                cc.commit(TestConfigs.config(2), meta("risky"), Duration.ofMillis(150));
                assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
                assertThat(s.latest().orElseThrow().source()).isEqualTo(Source.CONFIRM_TIMEOUT);
            }
        } finally {
            ex.shutdownNow();
        }
    }
}
