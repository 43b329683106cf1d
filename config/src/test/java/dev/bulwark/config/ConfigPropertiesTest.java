package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bulwark.config.model.Config;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of reading and writing configs: valid configs survive the canonical YAML and JSON forms unchanged; damaged
 * documents and random text are refused with located errors, never with an exception.
 */
class ConfigPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    @Provide
    Arbitrary<Config> validConfigs() {
        return ConfigArbitraries.configs();
    }

    @Provide
    Arbitrary<List<TreeMutations.Mutation>> mutations() {
        return TreeMutations.mutations();
    }

    @Provide
    Arbitrary<String> yamlishText() {
        return TreeMutations.yamlishText();
    }

    /**
     * A valid config reads back equal from its canonical YAML and JSON, writing that gives the same text again, and
     * reading finds the same warnings as validating the config in code.
     */
    @Property(tries = 300)
    void validConfigsRoundTrip(@ForAll("validConfigs") Config c) {
        LoadResult checked = ConfigLoader.validate(c);
        assertThat(checked.errors()).as(() -> "the generator made an invalid config:\n" + ConfigWriter.toYaml(c)).isEmpty();

        for (Format format : Format.values()) {
            String text = ConfigWriter.write(c, format);
            LoadResult read = ConfigLoader.parse(text, format);
            assertThat(read.errors()).as(() -> format + " of a valid config is refused:\n" + text).isEmpty();
            assertThat(read.config()).as(() -> format + " round trip changed the config:\n" + text).isEqualTo(c);
            assertThat(ConfigWriter.write(read.config(), format)).as("%s canonical form is not stable", format).isEqualTo(text);
            assertThat(problems(read.warnings())).as(() -> format + " warnings differ from those of the config:\n" + text)
                    .isEqualTo(problems(checked.warnings()));
        }
    }

    /**
     * A valid config's tree with 1-5 random edits (keys deleted, renamed or added, values replaced, swapped or
     * duplicated) is read without an exception: refused with located errors, or accepted as a config that validates
     * and round-trips like any other.
     */
    @Property(tries = 1000)
    void mutationsNeverThrow(@ForAll("validConfigs") Config c, @ForAll("mutations") List<TreeMutations.Mutation> mutations,
                             @ForAll Format format) throws JsonProcessingException {
        ObjectNode tree = (ObjectNode) ConfigWriter.toTree(c).deepCopy();
        for (TreeMutations.Mutation m : mutations) m.apply(tree);
        String text = format == Format.JSON ? JSON.writeValueAsString(tree) : YAML.writeValueAsString(tree);

        LoadResult r = parse(text, format);
        assertConsistent(r, text);
        Statistics.collect(r.valid() ? "accepted" : "refused");
        if (r.valid()) {
            assertThat(ConfigLoader.validate(r.config()).errors()).as(() -> "accepted config fails validation:\n" + text).isEmpty();
            for (Format f : Format.values()) {
                String canonical = ConfigWriter.write(r.config(), f);
                LoadResult again = ConfigLoader.parse(canonical, f);
                assertThat(again.errors()).as(() -> "canonical " + f + " of an accepted config is refused:\n" + canonical).isEmpty();
                assertThat(again.config()).as(() -> f + " round trip of an accepted config changed it:\n" + canonical).isEqualTo(r.config());
                assertThat(ConfigWriter.write(again.config(), f)).as("%s canonical form is not stable", f).isEqualTo(canonical);
            }
        }
        // The damage must leave room for both outcomes, or the property tests only one side.
        Statistics.coverage(cov -> {
            cov.check("accepted").percentage(p -> p >= 2);
            cov.check("refused").percentage(p -> p >= 50);
        });
    }

    /** Text soups of YAML/JSON fragments and damaged config texts are read as YAML and as JSON without an exception. */
    @Property(tries = 1000)
    void randomTextNeverThrows(@ForAll("yamlishText") String text) {
        for (Format format : Format.values()) assertConsistent(parse(text, format), text);
    }

    private static LoadResult parse(String text, Format format) {
        try {
            return ConfigLoader.parse(text, format);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("ConfigLoader.parse(" + format + ") threw on:\n" + text, e);
        }
    }

    private static void assertConsistent(LoadResult r, String text) {
        if (r.valid()) {
            assertThat(r.config()).as(() -> "valid without a config:\n" + text).isNotNull();
            assertThat(r.errors()).isEmpty();
        } else {
            assertThat(r.config()).as(() -> "invalid but with a config:\n" + text).isNull();
            assertThat(r.errors()).as(() -> "invalid without errors:\n" + text).isNotEmpty();
        }
        for (Problem p : r.errors()) assertThat(p.isError()).as("%s", p).isTrue();
        for (Problem p : r.warnings()) assertThat(p.isError()).as("%s", p).isFalse();
        for (Problem p : concat(r.errors(), r.warnings())) {
            assertThat(p.pointer()).as(() -> "bad pointer in " + p + "\nfor:\n" + text)
                    .isNotNull().matches(ptr -> ptr.isEmpty() || ptr.startsWith("/"));
            assertThat(p.message()).as(() -> "blank message in " + p + "\nfor:\n" + text).isNotBlank();
        }
    }

    private static List<Problem> concat(List<Problem> a, List<Problem> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Problems without their source positions, in a fixed order. */
    private static String problems(List<Problem> ps) {
        return ps.stream().map(p -> p.severity() + " " + p.pointer() + ": " + p.message()).sorted(Comparator.naturalOrder())
                .collect(Collectors.joining("\n"));
    }
}
