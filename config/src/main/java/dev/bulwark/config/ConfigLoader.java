package dev.bulwark.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.config.bind.Binder;
import dev.bulwark.config.bind.ParsedTree;
import dev.bulwark.config.bind.TreeReader;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a config from YAML or JSON: syntax, then structure (binding to the model records), then meaning (semantic
 * validation). Every problem of a stage is reported; a later stage runs only when the earlier one found no errors.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Reads a file; its name decides the format ({@code .json} or YAML). Large files are refused before reading. */
    public static LoadResult load(Path file) {
        try {
            long size = Files.size(file);
            if (size > TreeReader.MAX_BYTES) {
                return failed(Problem.error("", file + " is " + size + " bytes; at most " + TreeReader.MAX_BYTES + " bytes are accepted"));
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(TreeReader.MAX_BYTES + 1);
            }
            return parse(content, Format.of(file, content));
        } catch (NoSuchFileException e) {
            return failed(Problem.error("", "no such file: " + file));
        } catch (IOException e) {
            return failed(Problem.error("", "cannot read " + file + ": " + e.getMessage()));
        }
    }

    public static LoadResult parse(String text, Format format) {
        return parse(text.getBytes(StandardCharsets.UTF_8), format);
    }

    public static LoadResult parse(byte[] content, Format format) {
        ParsedTree tree = TreeReader.read(content, format);
        if (tree.root() == null) return new LoadResult(null, tree.problems(), List.of());
        Binder binder = new Binder();
        Config config = binder.bind(tree.root(), Config.class);
        if (config == null) {
            List<Problem> problems = new ArrayList<>(binder.problems());
            // A config from a newer Bulwark fails to bind for the newer keys; say that first.
            JsonNode version = tree.root().get("version");
            if (version != null && version.canConvertToInt() && version.isIntegralNumber() && version.intValue() != Config.VERSION) {
                problems.add(0, Problem.error("/version", Validator.unsupportedVersion(version.intValue())));
            }
            return new LoadResult(null, sorted(tree.locateAll(problems, binder.scalarsAsLists())), List.of());
        }
        List<Problem> validated = Validator.validate(config);
        List<Problem> found = validated.isEmpty() ? validated : tree.locateAll(validated, binder.scalarsAsLists());
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        for (Problem p : found) (p.isError() ? errors : warnings).add(p);
        return new LoadResult(config, sorted(errors), sorted(warnings));
    }

    /** Validates a config built in code (by the API or a test): the semantic checks, no source positions. */
    public static LoadResult validate(Config config) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        for (Problem p : Validator.validate(config)) (p.isError() ? errors : warnings).add(p);
        return new LoadResult(config, errors, warnings);
    }

    private static LoadResult failed(Problem p) {
        return new LoadResult(null, List.of(p), List.of());
    }

    /** Document order: by line, then column; problems without a position keep their place at the end. */
    private static List<Problem> sorted(List<Problem> ps) {
        List<Problem> out = new ArrayList<>(ps);
        out.sort(Comparator.comparing((Problem p) -> p.line() == null ? Integer.MAX_VALUE : p.line())
                .thenComparing(p -> p.column() == null ? Integer.MAX_VALUE : p.column()));
        return out;
    }
}
