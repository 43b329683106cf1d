package dev.bulwark.control.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.ConfigWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revision store: ids, metadata, durability layout, pruning, crash leftovers, damage reporting, locking. */
class RevisionStoreTest {

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));

    RevisionStore open(int keep) throws IOException {
        return RevisionStore.open(dir, keep, clock);
    }

    static CommitMeta meta(String message) {
        return CommitMeta.of("alice", message, Source.API);
    }

    @Test
    void theStateDirectoryAndItsFilesAreTheOwnersAloneAndAWritableOneIsRefused() throws IOException {
        // issue 19: 0700 and 0600 whatever the mode they were created with (the umask), a directory others may write refused
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (RevisionStore s = open(100)) {
            s.commit(TestConfigs.config(1), meta("one"));
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
            }
        }
        for (String mode : new String[]{"rwxrwxrwx", "rwxrwx---"}) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> open(100)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is writable by").hasMessageContaining("chmod 700 " + dir);
        }
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void commitsGetIncreasingIdsAndSurviveReopening() throws IOException {
        try (RevisionStore s = open(100)) {
            assertThat(s.latest()).isEmpty();
            for (int i = 1; i <= 3; i++) {
                Revision r = s.commit(TestConfigs.config(i), meta("change " + i));
                clock.advance(Duration.ofSeconds(1));
                assertThat(r.id()).isEqualTo(i);
                assertThat(r.configText()).isEqualTo(ConfigWriter.toYaml(TestConfigs.config(i)));
                assertThat(r.sha256()).isEqualTo(RecordFile.sha256(r.configText()));
            }
        }
        try (RevisionStore s = open(100)) {
            assertThat(s.list()).extracting(Revision::id).containsExactly(1L, 2L, 3L);
            assertThat(s.latest()).get().extracting(Revision::id).isEqualTo(3L);
            Revision r2 = s.get(2);
            assertThat(r2.time()).isEqualTo(Instant.parse("2025-06-01T12:00:01Z"));
            assertThat(r2.author()).isEqualTo("alice");
            assertThat(r2.source()).isEqualTo(Source.API);
            assertThat(r2.message()).isEqualTo("change 2");
            assertThat(r2.config()).isEqualTo(TestConfigs.config(2));
            assertThat(s.damaged()).isEmpty();
            assertThat(s.cleanedAtOpen()).isEmpty();
            assertThat(s.commit(TestConfigs.config(4), meta("")).id()).isEqualTo(4);
        }
    }

    @Test
    void metadataWithLineBreaksAndBackslashesRoundTrips() throws IOException {
        String message = "first line\nsecond \\n line\r\nthird: ünïcødé ✓\\";
        try (RevisionStore s = open(100)) {
            s.commit(TestConfigs.config(1), new CommitMeta("bob\\ops", message, Source.GITOPS));
        }
        try (RevisionStore s = open(100)) {
            Revision r = s.get(1);
            assertThat(r.message()).isEqualTo(message);
            assertThat(r.author()).isEqualTo("bob\\ops");
            assertThat(r.source()).isEqualTo(Source.GITOPS);
        }
    }

    @Test
    void theFileIsReadableTextWithItsOwnChecksum() throws IOException {
        try (RevisionStore s = open(100)) {
            Revision r = s.commit(TestConfigs.config(7), CommitMeta.of("carol", "open port 8", Source.CLI));
            Path f = s.file(r.id());
            assertThat(f.getFileName().toString()).isEqualTo("000000000001.rev");
            String text = Files.readString(f);
            assertThat(text).startsWith("bulwark-revision 1 sha256=");
            assertThat(text.lines().skip(1).takeWhile(l -> !l.isEmpty()).toList()).containsExactly(
                    "id: 1", "time: 2025-06-01T12:00:00Z", "author: carol", "source: cli", "message: open port 8",
                    "config-sha256: " + r.sha256(), "config-bytes: " + r.configText().getBytes(StandardCharsets.UTF_8).length);
            assertThat(text).endsWith("\n\n" + r.configText());
            String firstLine = text.substring(0, text.indexOf('\n'));
            byte[] rest = Files.readAllBytes(f);
            rest = java.util.Arrays.copyOfRange(rest, firstLine.length() + 1, rest.length);
            assertThat(firstLine).isEqualTo("bulwark-revision 1 sha256=" + RecordFile.sha256(rest));
        }
    }

    @Test
    void rollbackIsANewRevisionWithTheOldConfig() throws IOException {
        try (RevisionStore s = open(100)) {
            s.commit(TestConfigs.config(1), meta("one"));
            s.commit(TestConfigs.config(2), meta("two"));
            Revision rb = s.rollback(1, meta("back to one"));
            assertThat(rb.id()).isEqualTo(3);
            assertThat(rb.rollbackOf()).isEqualTo(1L);
            assertThat(rb.configText()).isEqualTo(s.get(1).configText());
            assertThat(rb.sha256()).isEqualTo(s.get(1).sha256());
            assertThat(s.latest()).contains(rb);
            assertThat(s.diff(1, 3)).isEmpty();
            assertThatThrownBy(() -> s.rollback(9, meta("x"))).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("there is no revision 9").hasMessageContaining("revisions 1 to 3");
        }
        try (RevisionStore s = open(100)) {
            assertThat(s.get(3).rollbackOf()).isEqualTo(1L);
            assertThat(s.get(2).rollbackOf()).isNull();
        }
    }

    @Test
    void diffNamesWhatChanged() throws IOException {
        try (RevisionStore s = open(100)) {
            s.commit(TestConfigs.config(1), meta("one"));
            s.commit(TestConfigs.config(2), meta("two"));
            List<ConfigDiff.Change> d = s.diff(1, 2);
            assertThat(ConfigDiff.render(d)).contains("rule 'r1'").contains("rule 'r2'").contains("config 1").contains("config 2");
        }
    }

    @Test
    void keepsTheNewestNAndNeverReusesIds() throws IOException {
        try (RevisionStore s = open(3)) {
            for (int i = 1; i <= 5; i++) s.commit(TestConfigs.config(i), meta("c" + i));
            assertThat(s.list()).extracting(Revision::id).containsExactly(3L, 4L, 5L);
            assertThatThrownBy(() -> s.get(2)).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(revisionFiles()).hasSize(3);
        try (RevisionStore s = open(3)) {
            assertThat(s.commit(TestConfigs.config(6), meta("c6")).id()).isEqualTo(6);
            assertThat(s.list()).extracting(Revision::id).containsExactly(4L, 5L, 6L);
        }
        assertThat(RevisionStore.DEFAULT_KEEP).isEqualTo(100);
    }

    @Test
    void openDeletesUnfinishedWritesOfACrash() throws IOException {
        try (RevisionStore s = open(100)) {
            s.commit(TestConfigs.config(1), meta("one"));
        }
        // what a crash leaves: temp files before their rename, empty or cut short
        Path half = dir.resolve(AtomicFiles.TEMP_PREFIX + "000000000002.rev.1234abcd");
        byte[] full = RevisionStore.encode(new Revision(2, clock.instant(), "x", Source.API, "", null, "a: b\n", RecordFile.sha256("a: b\n")));
        Files.write(half, java.util.Arrays.copyOf(full, full.length / 2));
        Path empty = dir.resolve(AtomicFiles.TEMP_PREFIX + "pending-confirm.99");
        Files.write(empty, new byte[0]);
        try (RevisionStore s = open(100)) {
            assertThat(s.cleanedAtOpen()).containsExactlyInAnyOrder(half, empty);
            assertThat(s.damaged()).isEmpty();
            assertThat(s.list()).extracting(Revision::id).containsExactly(1L);
            assertThat(s.commit(TestConfigs.config(2), meta("two")).id()).isEqualTo(2);
        }
        assertThat(Files.exists(half)).isFalse();
        assertThat(Files.exists(empty)).isFalse();
    }

    @Test
    void aDamagedRevisionIsReportedNotSkipped() throws IOException {
        try (RevisionStore s = open(100)) {
            for (int i = 1; i <= 3; i++) s.commit(TestConfigs.config(i), meta("c" + i));
        }
        Path f2 = dir.resolve("000000000002.rev");
        byte[] b = Files.readAllBytes(f2);
        b[b.length - 5] ^= 0x20; // one flipped bit in the config text
        Files.write(f2, b);
        try (RevisionStore s = open(100)) {
            assertThat(s.damaged()).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo(2);
                assertThat(d.file()).isEqualTo(f2);
                assertThat(d.reason()).startsWith("checksum mismatch");
            });
            assertThatThrownBy(() -> s.get(2)).isInstanceOf(CorruptRevisionException.class)
                    .hasMessageContaining("revision 2").hasMessageContaining("is damaged: checksum mismatch");
            assertThat(s.list()).extracting(Revision::id).containsExactly(1L, 3L);
            assertThat(s.latest()).get().extracting(Revision::id).isEqualTo(3L);
            assertThat(s.commit(TestConfigs.config(4), meta("c4")).id()).isEqualTo(4);
        }
        assertThat(Files.readAllBytes(f2)).as("the damaged file is kept as evidence").isEqualTo(b);
    }

    @Test
    void aDamagedNewestRevisionStopsLatestUntilRolledBack() throws IOException {
        try (RevisionStore s = open(100)) {
            for (int i = 1; i <= 2; i++) s.commit(TestConfigs.config(i), meta("c" + i));
        }
        Path f2 = dir.resolve("000000000002.rev");
        byte[] b = Files.readAllBytes(f2);
        Files.write(f2, java.util.Arrays.copyOf(b, b.length - 10)); // cut short under its final name
        try (RevisionStore s = open(100)) {
            assertThat(s.damaged()).singleElement().extracting(DamagedRevision::reason).asString().startsWith("checksum mismatch");
            assertThatThrownBy(s::latest).isInstanceOf(CorruptRevisionException.class)
                    .hasMessageContaining("the newest revision 2").hasMessageContaining("roll back to an intact revision");
            Revision rb = s.rollback(1, meta("recover"));
            assertThat(rb.id()).isEqualTo(3);
            assertThat(s.latest()).contains(rb);
        }
    }

    @Test
    void aFileThatIsNotARevisionIsDamagedWithTheReason() throws IOException {
        Files.writeString(dir.resolve("000000000001.rev"), "hello\n");
        Files.write(dir.resolve("000000000002.rev"), new byte[0]);
        try (RevisionStore s = open(100)) {
            assertThat(s.damaged()).extracting(DamagedRevision::reason).containsExactly(
                    "the first line is not 'bulwark-revision 1 sha256=...': 'hello'", "the file is empty");
            assertThat(s.commit(TestConfigs.config(3), meta("c3")).id()).isEqualTo(3);
        }
    }

    @Test
    void aRevisionFileUnderAnotherIdIsDamaged() throws IOException {
        try (RevisionStore s = open(100)) {
            s.commit(TestConfigs.config(1), meta("c1"));
        }
        Files.move(dir.resolve("000000000001.rev"), dir.resolve("000000000005.rev"));
        try (RevisionStore s = open(100)) {
            assertThat(s.damaged()).singleElement().extracting(DamagedRevision::reason).isEqualTo("the file name says revision 5, its header says 1");
        }
    }

    @Test
    void oneWriterPerDirectory() throws IOException {
        try (RevisionStore s = open(100)) {
            assertThatThrownBy(() -> open(100)).isInstanceOf(IOException.class).hasMessageContaining("is in use");
            s.commit(TestConfigs.config(1), meta("c1"));
        }
        RevisionStore s = open(100);
        assertThat(s.list()).hasSize(1);
        s.close();
        assertThat(s.list()).as("reads go on after close").hasSize(1);
        assertThatThrownBy(() -> s.commit(TestConfigs.config(2), meta("c2"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private List<Path> revisionFiles() throws IOException {
        try (Stream<Path> l = Files.list(dir)) {
            return l.filter(p -> p.toString().endsWith(".rev")).toList();
        }
    }
}
