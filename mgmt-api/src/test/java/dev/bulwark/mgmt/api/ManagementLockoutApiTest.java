package dev.bulwark.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.types.TokenHash;
import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.mgmt.daemon.FakeKernelDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's two requests that locked every admin out for good, through the API of a daemon on the in-memory kernel:
 * <ul>
 * <li>bug 1: a change that leaves no admin token (a PATCH with {@code tokens: []}) was accepted, and every request
 *     got 401 from then on, also after a restart; it is refused by anti-lockout unless the config turns it off;</li>
 * <li>bug 2: a token hash written with fullwidth digits validated (Character.digit takes them) and then never matched,
 *     so every request failed; digits of other scripts, signs and leading zeros are not numbers anywhere (revision ids
 *     read '+1', '01' and '١' as revision 1).</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementLockoutApiTest {

    @TempDir
    static Path tmp;

    Daemon daemon;
    Http http;

    @BeforeAll
    void start() throws Exception {
        Path file = tmp.resolve("router.yaml");
        Files.writeString(file, ApiTest.config(null, null));
        daemon = FakeKernelDaemon.start(file, tmp.resolve("state"));
        http = new Http("http://127.0.0.1:" + daemon.port());
    }

    @AfterAll
    void stop() {
        if (daemon != null) daemon.close();
    }

    @Test
    void removingEveryAdminTokenIsRefusedAsALockoutUnlessAntiLockoutIsOff() throws Exception {
        long before = http.get("/api/v1/revisions", ApiTest.ADMIN).json().at("/revisions").size();
        Http.Res none = http.send("PATCH", "/api/v1/config", ApiTest.ADMIN, "application/merge-patch+json",
                "{\"management\":{\"tokens\":[]}}");
        assertThat(none.status()).as(none.toString()).isEqualTo(422);
        assertThat(none.json().path("type").asText()).isEqualTo("urn:bulwark:problem:anti-lockout");
        assertThat(none.json().at("/errors/0/pointer").asText()).isEqualTo("/management/tokens");
        assertThat(none.json().at("/errors/0/message").asText()).startsWith("no admin token would remain");

        // the admin's own token removed, only the read-only one left: refused too
        Http.Res viewerOnly = http.send("PATCH", "/api/v1/config", ApiTest.ADMIN, "application/merge-patch+json",
                "{\"management\":{\"tokens\":[{\"name\":\"viewer\",\"hash\":\"" + TokenHash.of(ApiTest.VIEWER) + "\",\"role\":\"read-only\"}]}}");
        assertThat(viewerOnly.status()).as(viewerOnly.toString()).isEqualTo(422);

        // validate and plan say so before a commit is tried
        String noTokens = ApiTest.config(null, null).replaceAll("(?s)  tokens:\n.*", "  tokens: []\n");
        assertThat(http.send("POST", "/api/v1/config/validate", ApiTest.ADMIN, ApiTest.YAML, noTokens).status()).isEqualTo(422);
        assertThat(http.send("POST", "/api/v1/config/plan", ApiTest.ADMIN, ApiTest.YAML, noTokens).json().at("/antiLockout/0/pointer").asText())
                .isEqualTo("/management/tokens");

        // nothing committed; the admin still gets in and can change things
        assertThat(http.get("/api/v1/revisions", ApiTest.ADMIN).json().at("/revisions").size()).isEqualTo(before);
        assertThat(http.get("/api/v1/status", ApiTest.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void aTokenHashWithFullwidthDigitsIsRefusedAndEveryTokenStillWorks() throws Exception {
        String good = TokenHash.of(ApiTest.ADMIN).toString();
        String fullwidth = good.replace("sha256:", "").chars().mapToObj(c -> c >= '0' && c <= '9'
                ? String.valueOf((char) ('\uff10' + (c - '0'))) : String.valueOf((char) c)).reduce("sha256:", String::concat);
        assertThat(fullwidth).isNotEqualTo(good);
        String bad = ApiTest.config(null, "192.168.1.10, 192.168.1.11").replace(good, fullwidth);

        Http.Res put = http.send("PUT", "/api/v1/config", ApiTest.ADMIN, ApiTest.YAML, bad);
        assertThat(put.status()).as(put.toString()).isEqualTo(422);
        assertThat(put.json().at("/errors/0/pointer").asText()).isEqualTo("/management/tokens/0/hash");
        assertThat(put.json().at("/errors/0/message").asText()).contains("lowercase ASCII hex digits");

        Http.Res validate = http.send("POST", "/api/v1/config/validate", ApiTest.VIEWER, ApiTest.YAML, bad);
        assertThat(validate.status()).as(validate.toString()).isEqualTo(422);

        Http.Res patch = http.send("PATCH", "/api/v1/config", ApiTest.ADMIN, "application/merge-patch+json",
                "{\"management\":{\"tokens\":[{\"name\":\"admin\",\"hash\":\"" + fullwidth + "\",\"role\":\"admin\"}]}}");
        assertThat(patch.status()).as(patch.toString()).isEqualTo(422);

        // nothing was committed, and both tokens still authenticate
        assertThat(http.get("/api/v1/status", ApiTest.ADMIN).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/status", ApiTest.VIEWER).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/revisions", ApiTest.ADMIN).json().at("/revisions").size()).isEqualTo(1);
    }

    @Test
    void anExplicitAntiLockoutOffMayRemoveTheTokens() throws Exception {
        // a separate daemon: after this commit nobody can change its config through the API any more
        Path dir = Files.createTempDirectory(tmp, "off");
        Path file = dir.resolve("router.yaml");
        Files.writeString(file, ApiTest.config(null, null));
        try (Daemon d = FakeKernelDaemon.start(file, dir.resolve("state"))) {
            Http h = new Http("http://127.0.0.1:" + d.port());
            Http.Res off = h.send("PATCH", "/api/v1/config", ApiTest.ADMIN, "application/merge-patch+json",
                    "{\"management\":{\"anti-lockout\":false,\"tokens\":[]}}");
            assertThat(off.status()).as(off.toString()).isEqualTo(200);
            assertThat(h.get("/api/v1/status", ApiTest.ADMIN).status()).isEqualTo(401);
        }
    }

    @Test
    void aRevisionIdIsAsciiDigitsWithoutSignOrLeadingZero() {
        assertThat(http.get("/api/v1/revisions/1", ApiTest.VIEWER).status()).isEqualTo(200);
        for (String id : new String[]{"+1", "01", "%D9%A1", "%EF%BC%91", "1e0", "-1", "0"}) {
            Http.Res r = http.get("/api/v1/revisions/" + id, ApiTest.VIEWER);
            assertThat(r.status()).as(id + ": " + r).isEqualTo(404);
            assertThat(r.json().path("detail").asText()).contains("is not a revision id");
        }
    }

    @Test
    void confirmSecondsAndConntrackPortsAreAsciiDigits() {
        for (String secs : new String[]{"+60", "060", "%D9%A6%D9%A0"}) {
            Http.Res r = http.send("PUT", "/api/v1/config?confirm=" + secs, ApiTest.ADMIN, ApiTest.YAML, "version: 1\n");
            assertThat(r.status()).as(secs + ": " + r).isEqualTo(400);
        }
        for (String port : new String[]{"+53", "%EF%BC%95%EF%BC%93"}) {
            Http.Res r = http.get("/api/v1/state/conntrack?port=" + port, ApiTest.VIEWER);
            assertThat(r.status()).as(port + ": " + r).isEqualTo(400);
        }
    }
}
