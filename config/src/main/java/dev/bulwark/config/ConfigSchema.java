package dev.bulwark.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.bind.SchemaGenerator;
import dev.bulwark.config.model.Config;

/**
 * The JSON Schema of the config, derived from the model. The same text is shipped as the resource
 * {@value #RESOURCE} (and in the repository) so editors can use it; a test keeps the two equal.
 */
public final class ConfigSchema {
    private ConfigSchema() {
    }

    public static final String RESOURCE = "/dev/bulwark/config/bulwark-config.schema.json";

    public static ObjectNode tree() {
        return SchemaGenerator.generate(Config.class, "Bulwark router config");
    }

    public static String text() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
