package dev.bulwark.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.config.types.TokenHash;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

    static final Path HOME = Path.of("..", "examples", "home-router.yaml");

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void validExampleExitsZero() {
        Run r = run("validate", HOME.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("home-router.yaml: valid");
    }

    @Test
    void invalidConfigExitsOneWithOnePointerLinePerError(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                interfaces:
                  lan: { devcie: eth1 }
                zones:
                  lan: { interfaces: [lan], input: dorp }
                """);
        Run r = run("validate", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().lines().toList()).containsExactly(
                "/interfaces/lan/devcie: unknown key 'devcie'; did you mean 'device'? (line 2, column 10)",
                "/zones/lan/input: 'dorp' is not valid here; did you mean 'drop'? expected one of accept, drop, reject (line 4, column 29)",
                bad + ": invalid, 2 errors");
    }

    @Test
    void jsonOutputIsMachineReadable(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"zones\": {\"lan\": {\"interfaces\": [\"nosuch\"]}}}");
        Run r = run("validate", "--json", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("valid").asBoolean()).isFalse();
        assertThat(n.get("errors").get(0).get("pointer").asText()).isEqualTo("/zones/lan/interfaces/0");
        assertThat(n.get("errors").get(0).get("line").asInt()).isEqualTo(1);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("validate").code()).isEqualTo(2);
        assertThat(run("nosuch").code()).isEqualTo(2);
        assertThat(run("validate", "--nosuch", HOME.toString()).code()).isEqualTo(2);
        assertThat(run("show", "--format", "xml", HOME.toString()).code()).isEqualTo(2);
    }

    @Test
    void missingFileIsAnInvalidConfigNotACrash() {
        Run r = run("validate", "/nonexistent/router.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("no such file: /nonexistent/router.yaml");
    }

    @Test
    void showPrintsTheCanonicalFormAndDiffComparesFiles(@TempDir Path dir) throws IOException {
        Run show = run("show", HOME.toString());
        assertThat(show.code()).isZero();
        assertThat(show.out()).startsWith("interfaces:").contains("to: 192.168.1.20:8443");
        Path changed = dir.resolve("changed.yaml");
        Files.writeString(changed, Files.readString(HOME).replace("port: 443,", "port: 4443,"));
        Run diff = run("diff", HOME.toString(), changed.toString());
        assertThat(diff.code()).isZero();
        assertThat(diff.out()).isEqualTo("nat:\n  ~ port-forward 'web' port: 443 → 4443\n");
    }

    @Test
    void schemaAndTokens() throws IOException {
        Run schema = run("schema");
        assertThat(new ObjectMapper().readTree(schema.out()).get("$id").asText()).isEqualTo("urn:bulwark:config:1");
        Run token = run("token", "new", "--name", "ops");
        assertThat(token.code()).isZero();
        String t = token.out().lines().findFirst().orElseThrow().substring("token: ".length());
        assertThat(token.out()).contains("name: ops", TokenHash.of(t).toString());
    }
}
