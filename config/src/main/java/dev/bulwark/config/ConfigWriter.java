package dev.bulwark.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.bulwark.config.bind.TreeWriter;
import dev.bulwark.config.model.Config;

/**
 * Writes a config in canonical form: keys in model order, canonical spellings (addresses, prefixes, enum names),
 * defaults and empty sections left out. Reading the output gives an equal {@link Config}, and writing that gives the
 * same text: the form revisions are stored and diffed in.
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static JsonNode toTree(Config config) {
        return TreeWriter.write(config);
    }

    public static String toYaml(Config config) {
        try {
            return YAML.writeValueAsString(toTree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toJson(Config config) {
        try {
            return JSON.writeValueAsString(toTree(config)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String write(Config config, Format format) {
        return format == Format.JSON ? toJson(config) : toYaml(config);
    }
}
