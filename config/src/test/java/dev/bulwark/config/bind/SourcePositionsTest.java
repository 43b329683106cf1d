package dev.bulwark.config.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.Format;
import dev.bulwark.config.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a problem at a pointer is reported: the position of its node, else of the nearest ancestor that has one.
 * Escaped keys, array indexes, YAML merge keys and aliases (whose copies have no positions of their own).
 */
class SourcePositionsTest {

    private static final String DOC = """
            base: &b
              input: drop
            zones:
              "a/b":
                <<: *b
                list:
                  - x
                  - {k: 1}
              "t~": [1, 2]
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "''                   | none",
            "/base                | 1:1",
            "/base/input          | 2:3",
            "/zones               | 3:1",
            "/zones/a~1b          | 4:3",
            "/zones/a~1b/input    | 4:3", // merged in: no position of its own
            "/zones/a~1b/list     | 6:5",
            "/zones/a~1b/list/0   | 7:9",
            "/zones/a~1b/list/1   | 8:9",
            "/zones/a~1b/list/1/k | 8:10",
            "/zones/a~1b/list/01  | 6:5", // not how index 1 is written
            "/zones/a~1b/list/5/x | 6:5",
            "/zones/t~0           | 9:3",
            "/zones/t~0/1         | 9:13",
            "/zones/t~            | 3:1", // unescaped: no such key
            "/zones/a/b           | 3:1",
            "/zones/a~1b/<<       | 4:3", // the merge key is not part of the tree
            "/nope/deeper         | none",
    })
    void problemsAreReportedAtTheirNodeOrNearestAncestor(String pointer, String expected) {
        ParsedTree t = TreeReader.read(DOC.getBytes(StandardCharsets.UTF_8), Format.YAML);
        assertThat(t.problems()).isEmpty();
        Problem p = t.locate(Problem.error(pointer, "m"), Set.of());
        assertThat(p.line() == null ? null : p.line() + ":" + p.column()).isEqualTo(expected);
    }
}
