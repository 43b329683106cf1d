package dev.bulwark.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged CLI as users run it: the built jar with its lib/ directory, in a separate JVM, on the shipped
 * examples. Catches what in-process tests cannot (manifest class path, missing runtime libraries, exit codes).
 */
class LauncherJarTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = ROOT.resolve("mgmt-api/target/bulwark.jar");

    record Result(int code, String out) {
    }

    static Result bulwark(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the CLI jar is built by the mgmt-api module before this module runs").exists();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bulwark " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void examplesValidateThroughThePackagedJar() throws Exception {
        for (String example : List.of("examples/home-router.yaml", "examples/small-office.yaml")) {
            Result r = bulwark("validate", example);
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains(example + ": valid");
        }
    }

    @Test
    void invalidAndUsageErrorsHaveTheirExitCodes() throws Exception {
        Path bad = Files.createTempFile("bulwark-bad", ".yaml");
        try {
            Files.writeString(bad, "interfaces:\n  lan: { device: eth1, addresses: [192.168.1.300/24] }\n");
            Result r = bulwark("validate", bad.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("/interfaces/lan/addresses/0: '192.168.1.300' is not an IPv4 address: 300 is larger than 255 (line 2, column 36)");
            assertThat(bulwark("frobnicate").code()).isEqualTo(2);
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    @Test
    void showPrintsACanonicalConfigThatValidatesAgain() throws Exception {
        Result shown = bulwark("show", "examples/small-office.yaml");
        assertThat(shown.code()).as(shown.out()).isZero();
        Path canonical = Files.createTempFile("bulwark-canonical", ".yaml");
        try {
            Files.writeString(canonical, shown.out());
            assertThat(bulwark("validate", canonical.toString()).code()).isZero();
            assertThat(bulwark("diff", "examples/small-office.yaml", canonical.toString()).out()).isEqualTo("no changes\n");
        } finally {
            Files.deleteIfExists(canonical);
        }
    }
}
