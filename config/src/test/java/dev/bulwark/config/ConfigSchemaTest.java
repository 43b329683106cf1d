package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped JSON Schema is what the model generates (so it cannot drift from it), and an independent JSON Schema
 * validator agrees with Bulwark about the examples and about structural mistakes.
 */
class ConfigSchemaTest {

    static final Path SHIPPED = Path.of("src/main/resources" + ConfigSchema.RESOURCE);

    private static JsonSchema schema() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(ConfigSchema.tree());
    }

    @Test
    void shippedSchemaIsTheGeneratedOne() throws IOException {
        String generated = ConfigSchema.text();
        if ("1".equals(System.getenv("UPDATE_GOLDEN"))) Files.writeString(SHIPPED, generated);
        assertThat(Files.readString(SHIPPED))
                .as("the shipped schema is stale; regenerate it with: ./bulwark schema > config/%s", SHIPPED)
                .isEqualTo(generated);
        try (InputStream in = ConfigSchema.class.getResourceAsStream(ConfigSchema.RESOURCE)) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(generated);
        }
    }

    @Test
    void examplesAndTheirCanonicalFormsValidateAgainstTheSchema() throws IOException {
        JsonSchema s = schema();
        YAMLMapper yaml = new YAMLMapper();
        try (Stream<Path> files = Files.list(ExamplesRoundTripTest.EXAMPLES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                JsonNode raw = yaml.readTree(p.toFile());
                assertThat(s.validate(raw)).as("schema errors for %s", p).isEmpty();
                JsonNode canonical = ConfigWriter.toTree(ConfigLoader.load(p).orThrow());
                assertThat(s.validate(canonical)).as("schema errors for canonical %s", p).isEmpty();
            }
        }
    }

    @Test
    void schemaRefusesWhatTheBinderRefuses() throws IOException {
        JsonSchema s = schema();
        ObjectMapper json = new ObjectMapper();
        String[] bad = {
                "{\"interfaces\": {\"lan\": {\"devcie\": \"eth1\"}}}",
                "{\"zones\": {\"lan\": {\"input\": \"dorp\"}}}",
                "{\"firewall\": {\"rules\": [{\"from\": \"lan\", \"to\": \"self\", \"action\": \"accept\"}]}}",
                "{\"management\": {\"anti-lockout\": \"yes\"}}",
                "{\"nosuch\": 1}",
                "{\"sets\": {\"bad name\": {\"type\": \"ipv4\"}}}",
        };
        for (String b : bad) {
            Set<ValidationMessage> errors = s.validate(json.readTree(b));
            assertThat(errors).as("schema must refuse %s", b).isNotEmpty();
            assertThat(ConfigLoader.parse(b, Format.JSON).valid()).as("binder must refuse %s", b).isFalse();
        }
    }

    @Test
    void everyModelKeyIsDocumented() {
        ObjectNode defs = (ObjectNode) ConfigSchema.tree().get("$defs");
        defs.properties().forEach(e -> {
            JsonNode props = e.getValue().has("anyOf") ? e.getValue().get("anyOf").get(1).get("properties") : e.getValue().get("properties");
            if (props == null) return;
            props.properties().forEach(p ->
                    assertThat(p.getValue().has("description")).as("%s.%s has a description", e.getKey(), p.getKey()).isTrue());
        });
    }
}
