package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.model.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every shipped example validates, and survives write → read in both formats unchanged. */
class ExamplesRoundTripTest {

    static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void theIssueExamplesExist() {
        assertThat(EXAMPLES.resolve("home-router.yaml")).exists();
        assertThat(EXAMPLES.resolve("small-office.yaml")).exists();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRoundTrips() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).sorted().toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> roundTrip(p)));
        }
    }

    private static void roundTrip(Path file) {
        LoadResult r = ConfigLoader.load(file);
        assertThat(r.errors()).as("errors of %s", file).isEmpty();
        assertThat(r.warnings()).as("warnings of %s", file).isEmpty();
        Config c = r.config();

        String yaml = ConfigWriter.toYaml(c);
        LoadResult again = ConfigLoader.parse(yaml, Format.YAML);
        assertThat(again.errors()).isEmpty();
        assertThat(again.config()).isEqualTo(c);
        assertThat(ConfigWriter.toYaml(again.config())).isEqualTo(yaml);

        String json = ConfigWriter.toJson(c);
        LoadResult fromJson = ConfigLoader.parse(json, Format.JSON);
        assertThat(fromJson.errors()).isEmpty();
        assertThat(fromJson.config()).isEqualTo(c);
        assertThat(ConfigWriter.toJson(fromJson.config())).isEqualTo(json);

        assertThat(ConfigDiff.between(c, again.config())).isEmpty();
    }
}
