package dev.bulwark.mgmt.api;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.types.TokenHash;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's life: health before readiness while the startup reconcile runs, a restart that starts from the
 * latest revision (the file is not read again), and {@code bulwark daemon} in a JVM of its own, stopped by SIGTERM:
 * one logfmt line per event, a clean stop, the kernel keeping the committed state.
 */
@KernelTest({NETNS, VETH, NFTABLES, NFT_CLI})
class DaemonLifecycleTest {

    static final String TOKEN = "bwk_lifecycle_test_token";

    static TestNamespace router() {
        TestNamespace ns = TestNamespace.create("apid");
        ns.exec("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
        ns.exec("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        return ns;
    }

    static Path config(Path dir, int port) throws Exception {
        String home = Files.readString(ApiTest.HOME);
        home = home.substring(0, home.indexOf("management:")) + """
                management:
                  listen: "127.0.0.1:%d"
                  zones: [lan]
                  tokens:
                    - { name: ops, hash: "%s", role: admin }
                """.formatted(port, TokenHash.of(TOKEN));
        Path f = dir.resolve("router.yaml");
        Files.writeString(f, home);
        return f;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void healthyBeforeReadyThenARestartStartsFromTheLatestRevision(@TempDir Path dir) throws Exception {
        try (TestNamespace ns = router()) {
            Path file = config(dir, 8080);
            CountDownLatch release = new CountDownLatch(1);
            Daemon d = Daemon.start(Daemon.Options.of(file, dir.resolve("state")).netns(ns.name()).listen("127.0.0.1", 0)
                    .engine(o -> o.withDataplane(() -> {
                        try {
                            release.await(20, TimeUnit.SECONDS); // the startup reconcile waits for the test
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return KernelDataplane.open(ns.name());
                    })));
            try {
                Http http = new Http("http://127.0.0.1:" + d.port());
                assertThat(http.get("/healthz", null).status()).isEqualTo(200);
                Http.Res starting = http.get("/readyz", null);
                assertThat(starting.status()).isEqualTo(503);
                assertThat(starting.json().get("ready").asBoolean()).isFalse();
                Http.Res api = http.get("/api/v1/config", TOKEN);
                assertThat(api.status()).isEqualTo(503);
                assertThat(api.header("Retry-After")).isEqualTo("1");
                assertThat(api.json().get("type").asText()).isEqualTo("urn:bulwark:problem:unavailable");
                release.countDown();
                d.ready().get(20, TimeUnit.SECONDS);
                assertThat(http.get("/readyz", null).status()).isEqualTo(200);
                assertThat(http.get("/api/v1/config", TOKEN).header("ETag")).isEqualTo("\"1\"");
                Http.Res put = http.send("PUT", "/api/v1/config", TOKEN, "application/yaml",
                        Files.readString(file).replace("elements: [192.168.1.10]", "elements: [192.168.1.10, 192.168.1.77]"));
                assertThat(put.status()).as(put.toString()).isEqualTo(200);
            } finally {
                d.close();
            }
            assertThat(ns.exec("nft", "list", "set", "inet", "bulwark", "set_admins")).contains("192.168.1.77");

            Daemon again = Daemon.start(Daemon.Options.of(file, dir.resolve("state")).netns(ns.name()).listen("127.0.0.1", 0));
            try {
                again.ready().get(20, TimeUnit.SECONDS);
                Http http = new Http("http://127.0.0.1:" + again.port());
                Http.Res cfg = http.get("/api/v1/config", TOKEN);
                assertThat(cfg.header("ETag")).as("no new revision from the file").isEqualTo("\"2\"");
                assertThat(cfg.json().at("/sets/admins/elements").toString()).contains("192.168.1.77");
                assertThat(again.engine().status().converged()).isTrue();
            } finally {
                again.close();
            }
        }
    }

    @Test
    void theDaemonCommandLogsOneLinePerEventAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        try (TestNamespace ns = router()) {
            int port = freePort();
            Path file = config(dir, port);
            Path log = dir.resolve("daemon.log");
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", cp,
                    "dev.bulwark.mgmt.cli.Main", "daemon", "--config", file.toString(), "--state-dir", dir.resolve("state").toString(),
                    "--netns", ns.name()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Http http = new Http("http://127.0.0.1:" + port);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    try {
                        if (http.get("/readyz", null).status() == 200) break;
                    } catch (RuntimeException notYet) {
                        // not listening yet
                    }
                    assertThat(p.isAlive()).as("the daemon exited early:\n" + Files.readString(log)).isTrue();
                    assertThat(System.nanoTime()).as("ready within 30 s:\n" + Files.readString(log)).isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(http.get("/api/v1/config", TOKEN).status()).isEqualTo(200); // a successful read: logged at DEBUG
                assertThat(http.get("/api/v1/config", "wrong-token").status()).isEqualTo(401); // a refusal: logged at INFO
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            } finally {
                p.destroyForcibly();
            }
            assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(lines).isNotEmpty();
            for (String l : lines) {
                assertThat(l).as("one logfmt line per event").matches("time=\\S+ level=(ERROR|WARN|INFO|DEBUG) logger=\\S+ (event=\\S+|msg=\").*");
            }
            String all = String.join("\n", lines);
            assertThat(all).contains("event=listening address=127.0.0.1 port=" + port, "event=ready revision=1 converged=true",
                    "event=http method=GET path=/api/v1/config route=/api/v1/config status=401", "event=stopping", "event=stopped");
            assertThat(all).as("successful reads are not logged at INFO").doesNotContain("route=/api/v1/config status=200");
            assertThat(ns.exec("nft", "list", "table", "inet", "bulwark")).as("the kernel keeps the committed state").contains("rule_ping");
        }
    }
}
