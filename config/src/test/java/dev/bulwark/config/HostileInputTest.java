package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.bind.TreeReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is the normal case for a config file: hostile documents are refused quickly, in bounded memory, with
 * an error that says what limit was hit. Each must be refused within a second (measured, generous for CI).
 */
class HostileInputTest {

    private static LoadResult refusedQuickly(Supplier<LoadResult> load) {
        long t0 = System.nanoTime();
        LoadResult r = load.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.valid()).isFalse();
        assertThat(ms).as("milliseconds to refuse").isLessThan(1000);
        return r;
    }

    @Test
    void yamlAliasBombIsRefused() {
        StringBuilder sb = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i <= 9; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 9; k++) sb.append(k == 0 ? "" : ",").append("*a").append(i - 1);
            sb.append("]\n");
        }
        String bomb = sb.toString();
        LoadResult r = refusedQuickly(() -> ConfigLoader.parse(bomb, Format.YAML));
        assertThat(r.errors()).singleElement().satisfies(p -> assertThat(p.message()).contains("aliases expand to more than"));
    }

    @Test
    void fiftyMegabyteFileIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.yaml");
        byte[] line = "# padding padding padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long written = 0; written < 50L * 1024 * 1024; written += line.length) out.write(line);
        }
        LoadResult r = refusedQuickly(() -> ConfigLoader.load(big));
        assertThat(r.errors()).singleElement().satisfies(p -> assertThat(p.message()).contains("at most " + TreeReader.MAX_BYTES + " bytes"));
    }

    @Test
    void fiftyMegabyteTextIsRefusedBeforeParsing() {
        byte[] big = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        LoadResult r = refusedQuickly(() -> ConfigLoader.parse(big, Format.YAML));
        assertThat(r.errors().getFirst().message()).contains("at most");
    }

    @Test
    void tenThousandLevelsOfYamlFlowNestingAreRefused() {
        String deep = "interfaces: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        LoadResult r = refusedQuickly(() -> ConfigLoader.parse(deep, Format.YAML));
        assertThat(r.errors().getFirst().message()).containsAnyOf("nested more than", "Nesting Depth", "nesting");
    }

    @Test
    void tenThousandLevelsOfYamlBlockNestingAreRefused() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) sb.append(" ".repeat(Math.min(i, 200))).append("k").append(i).append(":\n");
        // indentation capped: the YAML is malformed or deep either way; it must be refused, never crash
        String deep = sb.toString();
        refusedQuickly(() -> ConfigLoader.parse(deep, Format.YAML));
    }

    @Test
    void tenThousandLevelsOfJsonNestingAreRefused() {
        String deep = "{\"interfaces\": " + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";
        LoadResult r = refusedQuickly(() -> ConfigLoader.parse(deep, Format.JSON));
        assertThat(r.errors().getFirst().message()).contains("nested more than " + TreeReader.MAX_DEPTH);
    }

    @Test
    void hugeNumbersAndStringsAreRefusedNotCrashing() {
        refusedQuickly(() -> ConfigLoader.parse("version: " + "9".repeat(5000) + "\n", Format.YAML));
        refusedQuickly(() -> ConfigLoader.parse("{\"version\": \"" + "x".repeat(200_000) + "\"}", Format.JSON));
    }

    @Test
    void unknownAliasAndYamlTagsAreHandled() {
        LoadResult r = ConfigLoader.parse("zones: *nothing\n", Format.YAML);
        assertThat(r.errors().getFirst().message()).contains("unknown YAML alias '*nothing'");
        // Tags construct nothing: the value stays a plain string and is refused as such.
        LoadResult tagged = ConfigLoader.parse("version: !!java.lang.Runtime 1\n", Format.YAML);
        assertThat(tagged.errors()).singleElement().satisfies(p -> assertThat(p.pointer()).isEqualTo("/version"));
    }

    @Test
    void anchorsAndMergeKeysWorkWithinBudget() {
        String yaml = """
                interfaces:
                  lan: { device: eth1, addresses: [192.168.1.1/24] }
                zones:
                  lan: &trusted { interfaces: [lan], input: accept, forward: accept }
                firewall:
                  rules:
                    - &ssh { name: ssh, from: lan, to: self, protocol: tcp, port: 22, action: accept }
                    - <<: *ssh
                      name: ssh-alt
                      port: 2222
                """;
        LoadResult r = ConfigLoader.parse(yaml, Format.YAML);
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().firewall().rules()).hasSize(2);
        assertThat(r.config().firewall().rules().get(1).port().getFirst().toString()).isEqualTo("2222");
        assertThat(r.config().firewall().rules().get(1).protocol()).isEqualTo(r.config().firewall().rules().get(0).protocol());
    }
}
