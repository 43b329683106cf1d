package dev.bulwark.control.revision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at any instant never loses or corrupts an acknowledged revision: a child JVM commits while it is killed with
 * SIGKILL at random moments (during start-up and store opening, and during commits), and after every kill the store
 * opens cleanly and holds every revision the child acknowledged, with the content it acknowledged. Runs until 100
 * commits are acknowledged.
 *
 * <p>SIGKILL ends the process, not the machine: what the kernel holds in its page cache survives it, so this proves
 * the ordering of the write path (temp, rename, no in-place rewrite, cleanup at open); the fsyncs of file and directory
 * are what carry the same guarantee across a power cut.
 */
class RevisionCrashTest {

    @TempDir
    Path tmp;

    @Test
    void killedAtRandomMomentsDuring100CommitsNoAcknowledgedRevisionIsLost() throws Exception {
        Path dir = tmp.resolve("revisions");
        Path log = tmp.resolve("child.log");
        long seed = Long.getLong("bulwark.crash.seed", System.nanoTime());
        long started = System.nanoTime();
        int[] interruptedWrites = {0};
        CrashHarness harness = new CrashHarness(CrashChild.class, List.of(dir.toString(), "1000"), log);
        CrashHarness.Result result = harness.run(100, 300, 600, 4, 3000, seed, (acked, run) -> {
            try (RevisionStore store = RevisionStore.open(dir, 1000)) {
                if (!store.cleanedAtOpen().isEmpty()) interruptedWrites[0]++;
                String where = "after kill " + run + " (seed " + seed + ", child log " + log + ")";
                assertThat(store.damaged()).as("damaged revisions " + where).isEmpty();
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(AtomicFiles.TEMP_PREFIX)))
                            .as("temp files left after open " + where).isEmpty();
                }
                for (Map.Entry<Long, String> e : acked.entrySet()) {
                    Revision r = store.get(e.getKey()); // throws if lost or damaged
                    assertThat(r.sha256()).as("revision %d %s", e.getKey(), where).isEqualTo(e.getValue());
                    assertThat(RecordFile.sha256(r.configText())).as("content of revision %d %s", e.getKey(), where).isEqualTo(e.getValue());
                }
                if (!acked.isEmpty()) {
                    long maxAcked = acked.lastKey();
                    assertThat(store.latest().orElseThrow().id()).as("latest " + where).isGreaterThanOrEqualTo(maxAcked);
                    store.latest().orElseThrow().config(); // the newest revision parses
                }
                List<Revision> all = store.list();
                for (int i = 1; i < all.size(); i++) assertThat(all.get(i).id()).isEqualTo(all.get(i - 1).id() + 1);
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("revision crash test: %d acknowledged commits over %d SIGKILLs (%d early, during start-up; %d left an "
                + "unfinished write behind), %.1f s, seed %d%n", result.acked().size(), result.runs(), result.killedBeforeReady(),
                interruptedWrites[0], seconds, seed);
        assertThat(result.acked()).as("acknowledged commits (seed %d)", seed).hasSizeGreaterThanOrEqualTo(100);
        assertThat(result.runs()).as("kills").isGreaterThanOrEqualTo(15);
    }
}
