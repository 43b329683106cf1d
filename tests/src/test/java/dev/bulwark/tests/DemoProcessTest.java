package dev.bulwark.tests;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.control.demo.DemoSandbox;
import dev.bulwark.dataplane.netlink.NamedNamespaces;
import dev.bulwark.dataplane.testing.KernelTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bulwark demo} as users run it: the packaged jar in its own JVM. Started, killed with SIGKILL (its namespaces
 * stay behind), started again over those leftovers: it comes up healthy; SIGTERM then stops it and removes the
 * namespaces. Whatever happens, the test removes the processes and the namespaces at the end.
 */
@KernelTest({NETNS, VETH, NFTABLES})
class DemoProcessTest {

    static final Path ROOT = LauncherJarTest.ROOT;
    static final Pattern TOKEN = Pattern.compile("token +(bwk_[A-Za-z0-9_-]+)");

    @TempDir
    Path tmp;

    @Test
    void demoComesUpAgainAfterAKillOverItsLeftoversAndSigtermRemovesTheNamespaces() throws Exception {
        assertThat(LauncherJarTest.JAR).as("the CLI jar is built by the mgmt-api module before this module runs").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path state = tmp.resolve("state");
        Process first = null;
        Process second = null;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build()) {
            Path log1 = tmp.resolve("first.log");
            first = demo(port, state, log1);
            awaitReady(http, first, port, log1);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, the namespaces stay
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            for (String ns : DemoSandbox.NAMESPACES) assertThat(NamedNamespaces.exists(ns)).as(ns + " left behind by the killed demo").isTrue();

            Path log2 = tmp.resolve("second.log");
            second = demo(port, state, log2);
            awaitReady(http, second, port, log2);
            Matcher m = TOKEN.matcher(Files.readString(log2));
            assertThat(m.find()).as(Files.readString(log2)).isTrue();
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/status"))
                    .header("Authorization", "Bearer " + m.group(1)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body());
            assertThat(json.get("converged").asBoolean()).as(status.body()).isTrue();
            assertThat(json.get("latest").asLong()).as("the state directory starts empty each time").isEqualTo(1);

            second.destroy(); // SIGTERM
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(Files.readString(log2)).contains("bulwark demo: stopped; namespaces removed");
            for (String ns : DemoSandbox.NAMESPACES) assertThat(NamedNamespaces.exists(ns)).as(ns + " removed on SIGTERM").isFalse();
        } finally {
            for (Process p : new Process[]{first, second}) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            DemoSandbox.removeLeftovers();
        }
    }

    static Process demo(int port, Path state, Path log) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-jar", LauncherJarTest.JAR.toString(), "demo", "--listen", "127.0.0.1:" + port, "--state-dir", state.toString());
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    /** Waits up to 60 s for /readyz to answer 200, failing early when the demo exits. */
    static void awaitReady(HttpClient http, Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(5)).build();
        while (true) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(p.isAlive()).as("the demo exited early:\n" + Files.readString(log, StandardCharsets.UTF_8)).isTrue();
            assertThat(System.nanoTime()).as("ready within 60 s:\n" + Files.readString(log, StandardCharsets.UTF_8)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
