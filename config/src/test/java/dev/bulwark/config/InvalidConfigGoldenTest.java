package dev.bulwark.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files of invalid configs: each {@code src/test/resources/invalid/NN-name.yaml} (or {@code .json}) holds one
 * kind of mistake, and {@code NN-name.errors} the exact problems the loader reports for it, one per line: the errors,
 * then the warnings prefixed with {@code warning: }. Inputs named {@code *warnings-only*} are valid configs that
 * only draw warnings.
 *
 * <p>To regenerate the golden files after a deliberate change to a message, run with {@code UPDATE_GOLDEN=1} in the
 * environment and review the diff.
 */
class InvalidConfigGoldenTest {

    /** The inputs, in the source tree (surefire runs in the module's base directory). */
    private static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/invalid");
    private static final boolean UPDATE = "1".equals(System.getenv("UPDATE_GOLDEN"));

    private static List<Path> inputs() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
            }).sorted().toList();
        }
    }

    private static boolean warningsOnly(Path input) {
        return input.getFileName().toString().contains("warnings-only");
    }

    private static Path golden(Path input) {
        String n = input.getFileName().toString();
        return input.resolveSibling(n.substring(0, n.lastIndexOf('.')) + ".errors");
    }

    /** Each error's {@code Problem.toString()} on a line, then each warning as {@code warning: ...}. */
    static String render(LoadResult r) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : r.errors()) sb.append(p).append('\n');
        for (Problem p : r.warnings()) sb.append("warning: ").append(p).append('\n');
        return sb.toString();
    }

    private static LoadResult load(Path input) {
        return assertDoesNotThrow(() -> ConfigLoader.load(input), () -> "loading " + input.getFileName() + " threw");
    }

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException {
        return inputs().stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), input.toUri(), () -> {
            LoadResult r = load(input);
            String actual = render(r);
            Path expectedFile = golden(input);
            if (UPDATE) Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            if (warningsOnly(input)) {
                assertTrue(r.valid(), () -> input.getFileName() + " should be valid but has errors:\n" + actual);
                assertFalse(r.warnings().isEmpty(), () -> input.getFileName() + " should draw warnings");
            } else {
                assertFalse(r.valid(), () -> input.getFileName() + " should be invalid");
            }
            for (Problem p : r.errors()) {
                assertNotNull(p.pointer(), () -> "error without pointer: " + p);
                assertTrue(p.pointer().isEmpty() || p.pointer().startsWith("/"), () -> "bad pointer in: " + p);
            }
            for (Problem p : r.warnings()) {
                assertNotNull(p.pointer(), () -> "warning without pointer: " + p);
                assertTrue(p.pointer().isEmpty() || p.pointer().startsWith("/"), () -> "bad pointer in: " + p);
            }
            if (UPDATE) return;
            if (!Files.exists(expectedFile)) {
                fail("missing " + expectedFile.getFileName() + "; run with UPDATE_GOLDEN=1 to create it. Output:\n" + actual);
            }
            String expected = Files.readString(expectedFile, StandardCharsets.UTF_8).replace("\r\n", "\n");
            assertEquals(expected, actual, () -> "problems reported for " + input.getFileName());
        }));
    }

    @Test
    void enoughInputs() throws IOException {
        int n = inputs().size();
        assertTrue(n >= 30, () -> "expected at least 30 invalid configs, found " + n);
    }

    @Test
    void everyInputHasItsOwnOutput() throws IOException {
        Map<String, Path> seen = new HashMap<>();
        for (Path input : inputs()) {
            String out = render(load(input));
            Path other = seen.putIfAbsent(out, input);
            if (other != null) {
                fail(input.getFileName() + " and " + other.getFileName() + " report the same problems:\n" + out);
            }
        }
    }
}
