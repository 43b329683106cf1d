package dev.bulwark.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document passes a linter that is not ours: swagger-parser, the reference Java parser of OpenAPI 3.x,
 * reads it without a single message (error or warning), and every {@code $ref} points at something in the document
 * itself (it is served alone at {@code /api/v1/openapi}, so nothing else could resolve). The second test proves the
 * lint would catch what it is here for: a schema written as the string {@code "{ type: string }"} (the bug of issue
 * 10) and a dangling {@code $ref}.
 */
class OpenApiLintTest {

    private static final String RESOURCE = "openapi.yaml"; // beside ApiServer, as it loads it

    @Test
    void theShippedDocumentLintsClean() {
        assertThat(lint(shipped())).as("lint of mgmt-api/src/main/resources/dev/bulwark/mgmt/api/" + RESOURCE).isEmpty();
    }

    @Test
    void theLintCatchesAStringForASchemaAndADanglingRef() {
        String doc = shipped();
        String broken = doc
                .replace("summary: { type: string }", "summary: \"{ type: string }\"")
                .replaceFirst("#/components/schemas/ConfigProblem", "#/components/schemas/NoSuchSchema");
        assertThat(broken).contains("summary: \"{ type: string }\"").contains("NoSuchSchema");

        List<String> problems = lint(broken);

        // swagger-parser names the schema that holds the broken one, not the property
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("components.schemas.Plan").contains("not of type `object`"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("#/components/schemas/NoSuchSchema"));
    }

    /** Every problem found in an OpenAPI document (YAML or JSON), one line each; empty when it is clean. */
    static List<String> lint(String document) {
        List<String> problems = new ArrayList<>();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        if (result.getMessages() != null) for (String m : result.getMessages()) problems.add("swagger-parser: " + m);
        if (result.getOpenAPI() == null) problems.add("swagger-parser: the document could not be read at all");

        JsonNode root;
        try {
            YAMLMapper yaml = new YAMLMapper();
            yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = yaml.readTree(document);
        } catch (IOException e) {
            problems.add("YAML: " + e.getMessage());
            return problems;
        }
        checkRefs(root, root, "", problems);
        return problems;
    }

    /** Every {@code $ref} below {@code node} is local ({@code #/...}) and names an existing node. */
    private static void checkRefs(JsonNode root, JsonNode node, String at, List<String> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) checkRefs(root, node.get(i), at + "/" + i, problems);
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String where = at + "/" + f.getKey().replace("~", "~0").replace("/", "~1");
                if (f.getKey().equals("$ref")) {
                    String ref = f.getValue().asText();
                    if (!f.getValue().isTextual() || !ref.startsWith("#")) {
                        problems.add(where + ": $ref " + f.getValue() + " is not a local reference (#/...)");
                    } else if (root.at(URI.create(ref).getFragment()).isMissingNode()) {
                        problems.add(where + ": $ref " + ref + " resolves to nothing");
                    }
                } else {
                    checkRefs(root, f.getValue(), where, problems);
                }
            }
        }
    }

    private static String shipped() {
        try (InputStream in = ApiServer.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
