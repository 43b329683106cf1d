package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** RFC 7396's own examples (appendix A). */
class MergePatchTest {

    private static JsonNode j(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
    }

    private static String apply(String target, String patch) throws Exception {
        return MergePatch.apply(j(target), j(patch)).toString();
    }

    @Test
    void theRfcExamples() throws Exception {
        assertThat(apply("{\"a\":\"b\"}", "{\"a\":\"c\"}")).isEqualTo("{\"a\":\"c\"}");
        assertThat(apply("{\"a\":\"b\"}", "{\"b\":\"c\"}")).isEqualTo("{\"a\":\"b\",\"b\":\"c\"}");
        assertThat(apply("{\"a\":\"b\"}", "{\"a\":null}")).isEqualTo("{}");
        assertThat(apply("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}")).isEqualTo("{\"b\":\"c\"}");
        assertThat(apply("{\"a\":[\"b\"]}", "{\"a\":\"c\"}")).isEqualTo("{\"a\":\"c\"}");
        assertThat(apply("{\"a\":\"c\"}", "{\"a\":[\"b\"]}")).isEqualTo("{\"a\":[\"b\"]}");
        assertThat(apply("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}")).isEqualTo("{\"a\":{\"b\":\"d\"}}");
        assertThat(apply("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}")).isEqualTo("{\"a\":[1]}");
        assertThat(apply("[\"a\",\"b\"]", "[\"c\",\"d\"]")).isEqualTo("[\"c\",\"d\"]");
        assertThat(apply("{\"a\":\"b\"}", "[\"c\"]")).isEqualTo("[\"c\"]");
        assertThat(apply("{\"a\":\"foo\"}", "null")).isEqualTo("null");
        assertThat(apply("{\"a\":\"foo\"}", "\"bar\"")).isEqualTo("\"bar\"");
        assertThat(apply("{\"e\":null}", "{\"a\":1}")).isEqualTo("{\"e\":null,\"a\":1}");
        assertThat(apply("[1,2]", "{\"a\":\"b\",\"c\":null}")).isEqualTo("{\"a\":\"b\"}");
        assertThat(apply("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}")).isEqualTo("{\"a\":{\"bb\":{}}}");
    }

    @Test
    void theTargetIsNotModified() throws Exception {
        JsonNode t = j("{\"a\":{\"b\":1}}");
        MergePatch.apply(t, j("{\"a\":{\"b\":2}}"));
        assertThat(t.toString()).isEqualTo("{\"a\":{\"b\":1}}");
    }
}
