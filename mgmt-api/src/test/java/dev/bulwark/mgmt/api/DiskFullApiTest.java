package dev.bulwark.mgmt.api;

import static dev.bulwark.dataplane.testing.KernelFeature.TMPFS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.fake.FakeDataplane;
import dev.bulwark.dataplane.testing.KernelTest;
import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.mgmt.daemon.FakeKernelDaemon;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, bug 5: a commit whose revision cannot be written because the disk is full answers 507 with a problem that
 * says nothing was committed and the kernel is unchanged (it answered a generic 500). The state directory is on a
 * 2 MiB tmpfs this test mounts and unmounts; the kernel is the in-memory one.
 */
@KernelTest({TMPFS})
class DiskFullApiTest {

    @TempDir
    Path tmp;

    static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + new String(p.getInputStream().readAllBytes()));
        }
    }

    @Test
    void aFullDiskIs507AndNothingIsCommittedOrChanged() throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        sh("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", disk.toString());
        try {
            Path file = tmp.resolve("router.yaml");
            Files.writeString(file, ApiTest.config(null, null));
            FakeDataplane kernel = new FakeDataplane("eth0", "eth1");
            try (Daemon d = FakeKernelDaemon.start(file, disk.resolve("state"), kernel, o -> o)) {
                Http http = new Http("http://127.0.0.1:" + d.port());
                var before = kernel.state();
                // fill the disk to its last bytes
                try (OutputStream o = Files.newOutputStream(disk.resolve("filler"))) {
                    byte[] mib = new byte[64 * 1024];
                    for (int i = 0; i < 64; i++) o.write(mib); // stops with ENOSPC long before 4 MiB
                } catch (java.io.IOException full) {
                    assertThat(full.getMessage()).contains("No space left on device");
                }
                Http.Res r = http.send("PUT", "/api/v1/config", ApiTest.ADMIN, ApiTest.YAML, ApiTest.config(null, "192.168.1.10, 192.168.1.11"));
                assertThat(r.status()).as(r.toString()).isEqualTo(507);
                assertThat(r.json().path("type").asText()).isEqualTo("urn:bulwark:problem:insufficient-storage");
                assertThat(r.json().path("detail").asText()).contains("nothing was committed, and the kernel is unchanged");
                assertThat(kernel.state()).as("the kernel was put back").isEqualTo(before);

                Files.delete(disk.resolve("filler"));
                assertThat(http.get("/api/v1/revisions", ApiTest.ADMIN).json().at("/revisions").size()).as("only the first revision").isEqualTo(1);
            }
        } finally {
            sh("umount", disk.toString());
        }
    }
}
