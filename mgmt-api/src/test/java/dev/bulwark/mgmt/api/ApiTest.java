package dev.bulwark.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.config.types.TokenHash;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.fake.FakeDataplane;
import dev.bulwark.dataplane.nft.stmt.NftText;
import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.mgmt.daemon.FakeKernelDaemon;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API against a real daemon in-process on the in-memory kernel of dataplane's test-jar (devices eth0 and eth1, so
 * the home-router example applies; no root needed): every route but the two whose answers come from a real kernel
 * (those are {@link ApiDaemonTest}'s), auth, ETags and If-Match under concurrency, problems, commit-confirm, revisions
 * and a rollback, the conntrack stream (over a fake table: the ctnetlink implementation comes from the dataplane), the
 * audit log, limits and TLS. What a change did is read from the fake's nft state. The tests share one daemon and run
 * in order; each reads the current ETag itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiTest {

    static final Path HOME = Path.of("..", "examples", "home-router.yaml");
    static final String ADMIN = "bwk_test_admin_6c1f0e2a9b";
    static final String VIEWER = "bwk_test_viewer_93d4aa07";
    static final String YAML = "application/yaml";
    static final String PROBLEM = "application/problem+json";

    @TempDir
    static Path tmp;

    FakeDataplane kernel;
    Daemon daemon;
    Http http;
    FakeConntrackTable conntrack = new FakeConntrackTable(3000);
    String base;

    /** The home-router example with these extra rules and admins, and an admin and a read-only token. */
    static String config(String extraRules, String admins) throws Exception {
        String home = Files.readString(HOME);
        home = home.substring(0, home.indexOf("management:"));
        if (extraRules != null) home = home.replace("  rules:\n", "  rules:\n" + extraRules);
        if (admins != null) home = home.replace("elements: [192.168.1.10]", "elements: [" + admins + "]");
        return home + """
                management:
                  listen: "127.0.0.1:8080"
                  zones: [lan]
                  anti-lockout: true
                  tokens:
                    - { name: admin, hash: "%s", role: admin }
                    - { name: viewer, hash: "%s", role: read-only }
                """.formatted(TokenHash.of(ADMIN), TokenHash.of(VIEWER));
    }

    @BeforeAll
    void start() throws Exception {
        kernel = new FakeDataplane("eth0", "eth1");
        Path file = tmp.resolve("router.yaml");
        Files.writeString(file, config(null, null));
        daemon = FakeKernelDaemon.start(file, tmp.resolve("state"), kernel, o -> o.conntrack(ns -> conntrack));
        base = "http://127.0.0.1:" + daemon.port();
        http = new Http(base);
    }

    @AfterAll
    void stop() {
        if (daemon != null) daemon.close();
    }

    private Engine engine() {
        return daemon.engine();
    }

    private long revision() {
        return engine().latest().orElseThrow().id();
    }

    private String etag() {
        Http.Res r = http.get("/api/v1/config", VIEWER);
        assertThat(r.status()).isEqualTo(200);
        return r.header("ETag");
    }

    /** The elements of the admins set in the fake kernel's nft state, as nft would list them. */
    private List<String> admins() {
        return NftText.elements(kernel.state().nft().sets().get("set_admins"));
    }

    static void isProblem(Http.Res r, int status, String type) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo(PROBLEM);
        JsonNode p = r.json();
        assertThat(p.get("type").asText()).isEqualTo("urn:bulwark:problem:" + type);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
    }

    @Test
    @Order(1)
    void healthReadinessOpenApiAndStatus() {
        Http.Res h = http.get("/healthz", null);
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.json().get("status").asText()).isEqualTo("ok");
        Http.Res ready = http.get("/readyz", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        assertThat(ready.json().get("converged").asBoolean()).as(ready.body()).isTrue();

        Http.Res doc = http.get("/api/v1/openapi", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("openapi").asText()).isEqualTo("3.1.0");
        Http.Res yaml = http.get("/api/v1/openapi", null, "Accept", YAML);
        assertThat(yaml.header("Content-Type")).isEqualTo(YAML);
        assertThat(yaml.body()).startsWith("openapi: 3.1.0");

        Http.Res s = http.get("/api/v1/status", VIEWER);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.json().get("latest").asLong()).isEqualTo(1);
        assertThat(s.json().get("applied").asLong()).isEqualTo(1);
        // no kernel notifications on the fake (the engine has no monitor); ApiDaemonTest's daemon watches the kernel
        assertThat(s.json().get("watching").asBoolean()).isFalse();
        assertThat(s.json().get("metrics").get("commits").asLong()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void tokensAreRequiredAndReadOnlyTokensCannotChangeAnything() throws Exception {
        Http.Res none = http.get("/api/v1/config", null);
        isProblem(none, 401, "unauthorized");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"bulwark\"");
        Http.Res wrong = http.get("/api/v1/config", "not-a-token");
        isProblem(wrong, 401, "unauthorized");
        assertThat(wrong.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        isProblem(http.get("/metrics", null), 401, "unauthorized");
        isProblem(http.get("/api/v1/state", "Basic abc"), 401, "unauthorized");

        assertThat(http.get("/api/v1/config", VIEWER).status()).isEqualTo(200);
        assertThat(http.get("/metrics", VIEWER).status()).isEqualTo(200);
        long before = revision();
        FakeDataplane.State state = kernel.state();
        isProblem(http.send("PUT", "/api/v1/config", VIEWER, YAML, config(null, "192.168.1.10, 192.168.1.66")), 403, "forbidden");
        isProblem(http.send("PATCH", "/api/v1/config", VIEWER, "application/merge-patch+json", "{\"sets\":null}"), 403, "forbidden");
        isProblem(http.send("POST", "/api/v1/revisions/1/rollback", VIEWER, null, null), 403, "forbidden");
        isProblem(http.send("POST", "/api/v1/commit/confirm", VIEWER, null, null), 403, "forbidden");
        isProblem(http.send("DELETE", "/api/v1/state/conntrack", VIEWER, null, null), 403, "forbidden");
        assertThat(revision()).isEqualTo(before);
        assertThat(kernel.state()).isEqualTo(state);
        // a read-only token may validate and plan: they change nothing
        assertThat(http.send("POST", "/api/v1/config/validate", VIEWER, YAML, config(null, null)).status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void theRunningConfigInJsonAndYamlWithItsRevisionAsETag() {
        Http.Res j = http.get("/api/v1/config", VIEWER);
        assertThat(j.status()).isEqualTo(200);
        assertThat(j.header("Content-Type")).isEqualTo("application/json");
        assertThat(j.header("ETag")).isEqualTo("\"" + revision() + "\"");
        assertThat(j.json().at("/interfaces/wan/device").asText()).isEqualTo("eth0");
        assertThat(j.json().at("/management/tokens/1/name").asText()).isEqualTo("viewer");
        Http.Res y = http.get("/api/v1/config", VIEWER, "Accept", YAML);
        assertThat(y.header("Content-Type")).isEqualTo(YAML);
        assertThat(y.body()).isEqualTo(engine().latest().orElseThrow().configText());
        Http.Res same = http.get("/api/v1/config", VIEWER, "If-None-Match", j.header("ETag"));
        assertThat(same.status()).isEqualTo(304);
    }

    @Test
    @Order(4)
    void validateAndPlanChangeNothing() throws Exception {
        FakeDataplane.State state = kernel.state();
        Http.Res ok = http.send("POST", "/api/v1/config/validate", ADMIN, YAML, config(null, "192.168.1.10, 192.168.1.11"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("valid").asBoolean()).isTrue();

        String bad = config(null, "192.168.1.300").replace("device: eth0", "devcie: eth0");
        Http.Res invalid = http.send("POST", "/api/v1/config/validate", ADMIN, YAML, bad);
        isProblem(invalid, 422, "invalid-config");
        assertThat(pointers(invalid.json())).contains("/interfaces/wan/devcie", "/sets/admins/elements/0");

        Http.Res plan = http.send("POST", "/api/v1/config/plan", ADMIN, YAML, config(null, "192.168.1.10, 192.168.1.11"));
        assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        JsonNode p = plan.json();
        assertThat(p.get("base").asLong()).isEqualTo(revision());
        assertThat(p.at("/plan/changes").asInt()).isPositive();
        assertThat(p.get("text").asText()).contains("192.168.1.11");
        assertThat(p.get("changes").get(0).get("pointer").asText()).startsWith("/sets/admins");
        assertThat(p.get("antiLockout")).isEmpty();
        assertThat(kernel.state()).isEqualTo(state);
    }

    private static List<String> pointers(JsonNode problem) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : problem.get("errors")) {
            out.add(e.get("pointer").asText());
            assertThat(e.get("message").asText()).isNotBlank();
        }
        return out;
    }

    @Test
    @Order(5)
    void anInvalidConfigIsAProblemListingEveryPointerWithLineAndColumn() throws Exception {
        long before = revision();
        String bad = config(null, "192.168.1.300").replace("device: eth0", "devcie: eth0");
        Http.Res r = http.send("PUT", "/api/v1/config", ADMIN, YAML, bad);
        isProblem(r, 422, "invalid-config");
        assertThat(pointers(r.json())).contains("/interfaces/wan/devcie", "/sets/admins/elements/0");
        for (JsonNode e : r.json().get("errors")) {
            assertThat(e.get("line").asInt()).isPositive();
            assertThat(e.get("column").asInt()).isPositive();
        }
        Http.Res notYaml = http.send("PUT", "/api/v1/config", ADMIN, "application/json", "{\"interfaces\": [}");
        isProblem(notYaml, 422, "invalid-config");
        assertThat(notYaml.json().get("errors").get(0).get("line").asInt()).isEqualTo(1);
        assertThat(revision()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void aStaleETagGets412AndChangesNothing() throws Exception {
        String tag = etag();
        Http.Res ok = http.send("PUT", "/api/v1/config?message=one%20more%20admin", ADMIN, YAML, config(null, "192.168.1.10, 192.168.1.11"),
                "If-Match", tag);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        long id = ok.json().at("/revision/id").asLong();
        assertThat(ok.header("ETag")).isEqualTo("\"" + id + "\"");
        assertThat(ok.json().at("/revision/message").asText()).isEqualTo("one more admin");
        assertThat(ok.json().at("/revision/author").asText()).isEqualTo("admin");
        assertThat(ok.json().get("changed").asBoolean()).isTrue();
        assertThat(admins()).contains("192.168.1.11");

        FakeDataplane.State state = kernel.state();
        Http.Res stale = http.send("PUT", "/api/v1/config", ADMIN, YAML, config(null, "192.168.1.10, 192.168.1.99"), "If-Match", tag);
        isProblem(stale, 412, "precondition-failed");
        assertThat(stale.json().get("actual").asLong()).isEqualTo(id);
        assertThat(revision()).isEqualTo(id);
        assertThat(kernel.state()).isEqualTo(state);
        isProblem(http.send("PUT", "/api/v1/config", ADMIN, YAML, config(null, null), "If-Match", "W/\"" + id + "\""), 412, "precondition-failed");
    }

    @Test
    @Order(7)
    void ofTwentyConcurrentPutsWithTheSameETagExactlyOneWins() throws Exception {
        String tag = etag();
        long before = revision();
        List<CompletableFuture<Http.Res>> puts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            puts.add(http.sendAsync("PUT", "/api/v1/config", ADMIN, YAML, config(null, "192.168.1.10, 192.168.1." + (100 + i)), "If-Match", tag));
        }
        int ok = 0;
        int failed = 0;
        String winner = null;
        for (int i = 0; i < puts.size(); i++) {
            Http.Res r = puts.get(i).get(60, TimeUnit.SECONDS);
            if (r.status() == 200) {
                ok++;
                winner = "192.168.1." + (100 + i);
            } else {
                isProblem(r, 412, "precondition-failed");
                failed++;
            }
        }
        assertThat(ok).isEqualTo(1);
        assertThat(failed).isEqualTo(19);
        assertThat(revision()).isEqualTo(before + 1);
        assertThat(admins()).contains(winner);
        PrometheusText m = PrometheusText.parse(http.get("/metrics", VIEWER).body());
        assertThat(m.value("http_server_requests_seconds_count", Map.of("method", "PUT", "route", "/api/v1/config", "status", "412")))
                .isGreaterThanOrEqualTo(19);
    }

    @Test
    @Order(8)
    void aMergePatchChangesOnlyWhatItNames() {
        String tag = etag();
        Http.Res r = http.send("PATCH", "/api/v1/config", ADMIN, "application/merge-patch+json",
                "{\"sets\": {\"admins\": {\"elements\": [\"192.168.1.10\", \"192.168.1.12\"]}}}", "If-Match", tag);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode cfg = http.get("/api/v1/config", VIEWER).json();
        assertThat(cfg.at("/sets/admins/elements").toString()).isEqualTo("[\"192.168.1.10\",\"192.168.1.12\"]");
        assertThat(cfg.at("/interfaces/wan/device").asText()).isEqualTo("eth0");
        assertThat(admins()).contains("192.168.1.12").doesNotContain("192.168.1.11");

        long id = revision();
        Http.Res bad = http.send("PATCH", "/api/v1/config", ADMIN, "application/merge-patch+json",
                "{\"sets\": {\"admins\": {\"elements\": [\"not-an-address\"]}}, \"zones\": {\"lan\": {\"input\": \"maybe\"}}}");
        isProblem(bad, 422, "invalid-config");
        assertThat(pointers(bad.json())).contains("/sets/admins/elements/0", "/zones/lan/input");
        assertThat(bad.json().get("errors").get(0).has("line")).isFalse();
        isProblem(http.send("PATCH", "/api/v1/config", ADMIN, "application/merge-patch+json", "{\"sets\": "), 400, "malformed-patch");
        isProblem(http.send("PATCH", "/api/v1/config", ADMIN, "application/json", "{}"), 415, "unsupported-media-type");
        isProblem(http.send("PATCH", "/api/v1/config", ADMIN, "application/merge-patch+json", "{}", "If-Match", "\"1\""), 412, "precondition-failed");
        assertThat(revision()).isEqualTo(id);
    }

    @Test
    @Order(11)
    void aConfirmedCommitStays() throws Exception {
        Http.Res r = http.send("PUT", "/api/v1/config?confirm=60", ADMIN, YAML, config(null, "192.168.1.10, 192.168.1.14"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        long id = r.json().at("/revision/id").asLong();
        JsonNode pending = http.get("/api/v1/commit", VIEWER).json().get("pending");
        assertThat(pending.get("revision").asLong()).isEqualTo(id);
        assertThat(pending.get("secondsLeft").asDouble()).isBetween(50.0, 60.0);
        Http.Res c = http.send("POST", "/api/v1/commit/confirm", ADMIN, null, null);
        assertThat(c.status()).as(c.toString()).isEqualTo(200);
        assertThat(c.json().get("confirmed").asLong()).isEqualTo(id);
        assertThat(http.get("/api/v1/commit", VIEWER).json().get("pending").isNull()).isTrue();
        isProblem(http.send("POST", "/api/v1/commit/confirm", ADMIN, null, null), 409, "conflict");
        assertThat(revision()).isEqualTo(id);
    }

    @Test
    @Order(12)
    void revisionsTheirDiffAndARollback() {
        long newest = revision();
        JsonNode list = http.get("/api/v1/revisions", VIEWER).json();
        assertThat(list.get("revisions").get(0).get("id").asLong()).isEqualTo(newest);
        assertThat(list.get("revisions").get(list.get("revisions").size() - 1).get("id").asLong()).isEqualTo(1);
        assertThat(list.get("current").asLong()).isEqualTo(newest);

        JsonNode one = http.get("/api/v1/revisions/1", VIEWER).json();
        assertThat(one.get("source").asText()).isEqualTo("cli");
        assertThat(one.at("/config/sets/admins/elements").toString()).isEqualTo("[\"192.168.1.10\"]");
        JsonNode diff = http.get("/api/v1/revisions/1/diff/" + newest, VIEWER).json();
        assertThat(diff.get("changes").get(0).get("pointer").asText()).startsWith("/sets/admins/elements");
        assertThat(diff.get("text").asText()).contains("192.168.1.14");
        isProblem(http.get("/api/v1/revisions/999", VIEWER), 404, "not-found");
        isProblem(http.get("/api/v1/revisions/abc", VIEWER), 404, "not-found");

        isProblem(http.send("POST", "/api/v1/revisions/1/rollback", ADMIN, null, null, "If-Match", "\"1\""), 412, "precondition-failed");
        Http.Res rb = http.send("POST", "/api/v1/revisions/1/rollback", ADMIN, null, null, "If-Match", "\"" + newest + "\"");
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        assertThat(rb.json().at("/revision/rollbackOf").asLong()).isEqualTo(1);
        assertThat(rb.json().at("/revision/id").asLong()).isEqualTo(newest + 1);
        assertThat(admins()).containsExactly("192.168.1.10");
        PrometheusText m = PrometheusText.parse(http.get("/metrics", VIEWER).body());
        assertThat(m.value("bulwark_rollbacks_total", Map.of())).isEqualTo(1);
        assertThat(m.value("bulwark_commits_total", Map.of())).isEqualTo(newest + 1);
    }

    @Test
    @Order(15)
    void conntrackEntriesAreStreamedAsTheyAreReadFilteredAndFlushed() throws Exception {
        conntrack.pauseAfter(1500);
        HttpResponse<InputStream> streaming = http.client.send(http.request("GET", "/api/v1/state/conntrack", VIEWER, null, null),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(streaming.statusCode()).isEqualTo(200);
        byte[] head = streaming.body().readNBytes(64 * 1024);
        assertThat(new String(head, StandardCharsets.UTF_8)).startsWith("[\n{\"family\":4,\"protocol\":\"tcp\"");
        assertThat(conntrack.listings).isEqualTo(1); // still paused midway: these bytes were sent before the listing ended
        conntrack.resume();
        byte[] rest = streaming.body().readAllBytes();
        byte[] all = new byte[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        JsonNode entries = Http.JSON.readTree(all);
        assertThat(entries.size()).isEqualTo(3000);
        assertThat(entries.get(1).at("/original/destinationPort").asInt()).isEqualTo(53);
        assertThat(entries.get(0).at("/reply/source").asText()).isEqualTo("203.0.113.1");

        JsonNode udp = http.get("/api/v1/state/conntrack?protocol=udp&port=53", VIEWER).json();
        assertThat(udp.size()).isEqualTo(1500);
        Http.Res nd = http.get("/api/v1/state/conntrack?address=192.168.1.10", VIEWER, "Accept", "application/x-ndjson");
        assertThat(nd.header("Content-Type")).isEqualTo("application/x-ndjson");
        List<String> lines = nd.body().lines().toList();
        assertThat(lines).hasSize(15); // i % 200 == 0
        for (String l : lines) assertThat(Http.JSON.readTree(l).at("/original/source").asText()).isEqualTo("192.168.1.10");
        isProblem(http.get("/api/v1/state/conntrack?port=http", VIEWER), 400, "bad-request");
        isProblem(http.get("/api/v1/state/conntrack?address=example.com", VIEWER), 400, "bad-request");
        isProblem(http.get("/api/v1/state/conntrack?protocol=smtp", VIEWER), 400, "bad-request");

        Http.Res flushed = http.send("DELETE", "/api/v1/state/conntrack?protocol=udp", ADMIN, null, null);
        assertThat(flushed.status()).as(flushed.toString()).isEqualTo(200);
        assertThat(flushed.json().get("deleted").asLong()).isEqualTo(1500);
        JsonNode left = http.get("/api/v1/state/conntrack", VIEWER).json();
        assertThat(left.size()).isEqualTo(1500);
        for (JsonNode e : left) assertThat(e.get("protocol").asText()).isEqualTo("tcp");
        assertThat(http.get("/api/v1/state/conntrack?protocol=udp", VIEWER).body()).isEqualTo("[\n]\n");
    }

    @Test
    @Order(16)
    void unknownRoutesMethodsAndMediaTypesAreProblems() throws Exception {
        isProblem(http.get("/api/v1/nothing", VIEWER), 404, "not-found");
        Http.Res m = http.send("DELETE", "/api/v1/config", ADMIN, null, null);
        isProblem(m, 405, "method-not-allowed");
        assertThat(m.header("Allow")).contains("GET", "PUT", "PATCH");
        isProblem(http.send("PUT", "/api/v1/config", ADMIN, "text/plain", config(null, null)), 415, "unsupported-media-type");
        isProblem(http.send("PUT", "/api/v1/config?confirm=0", ADMIN, YAML, config(null, null)), 400, "bad-request");
        isProblem(http.send("PUT", "/api/v1/config", ADMIN, YAML, ""), 400, "bad-request");
    }

    @Test
    @Order(17)
    void tlsBodyLimitAndTheFailedAuthenticationRateLimit() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        TestNamespace.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        Vertx vertx = Vertx.vertx();
        ApiServer tls = ApiServer.start(vertx, ApiServer.Options.of("127.0.0.1", 0).withTls(cert, key).withBodyLimit(1024)
                .withAuthLimit(3, Duration.ofMinutes(1)), tmp);
        try {
            tls.ready(engine());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("bulwark", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            Http https = new Http("https://127.0.0.1:" + tls.port(),
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build());
            assertThat(https.get("/healthz", null).status()).isEqualTo(200);
            assertThat(https.get("/api/v1/config", VIEWER).status()).isEqualTo(200);
            isProblem(https.send("PUT", "/api/v1/config", ADMIN, YAML, "x".repeat(2048)), 413, "body-too-large");
            assertThat(new Http("http://127.0.0.1:" + tls.port()).client.sendAsync(
                    new Http("http://127.0.0.1:" + tls.port()).request("GET", "/healthz", null, null, null), HttpResponse.BodyHandlers.ofString())
                    .handle((r, e) -> e != null || r.statusCode() != 200).get(10, TimeUnit.SECONDS)).as("plain HTTP is not served").isTrue();

            for (int i = 0; i < 3; i++) isProblem(https.get("/api/v1/config", "guess-" + i), 401, "unauthorized");
            Http.Res limited = https.get("/api/v1/config", "guess-3");
            isProblem(limited, 429, "too-many-auth-failures");
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
            isProblem(https.get("/api/v1/config", null), 429, "too-many-auth-failures");
            // guesses from an address never lock a valid token out of it (issue 19)
            assertThat(https.get("/api/v1/config", VIEWER).status()).isEqualTo(200);
            assertThat(https.get("/healthz", null).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/config", VIEWER).status()).as("the limit is per server instance and address").isEqualTo(200);
        } finally {
            tls.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(18)
    void everyChangeIsInTheAuditLogWithWhoWhenWhereAndWhichRevision() throws Exception {
        List<JsonNode> records = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(daemon.api().auditFile()), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) records.add(Http.JSON.readTree(line));
        }
        Set<String> actions = new HashSet<>();
        // writes refused before they became a change (the read-only token's 403s above) are audited too
        List<JsonNode> refused = records.stream().filter(x -> x.get("action").asText().equals("refused")).toList();
        assertThat(refused).isNotEmpty().allSatisfy(x -> assertThat(x.get("status").asInt()).isGreaterThanOrEqualTo(400));
        records.removeAll(refused);
        for (JsonNode rec : records) {
            actions.add(rec.get("action").asText());
            assertThat(rec.get("time").asText()).isNotEmpty();
            assertThat(rec.get("from").asText()).isEqualTo("127.0.0.1");
            assertThat(rec.get("who").asText()).isEqualTo("admin");
            assertThat(rec.has("revisionBefore")).isTrue();
        }
        assertThat(actions).contains("config-replace", "config-patch", "rollback", "commit-confirm", "conntrack-flush");
        JsonNode withMessage = records.stream().filter(x -> x.get("message") != null && x.get("message").asText().equals("one more admin"))
                .findFirst().orElseThrow();
        assertThat(withMessage.get("status").asInt()).isEqualTo(200);
        assertThat(withMessage.get("revisionAfter").asLong()).isEqualTo(withMessage.get("revisionBefore").asLong() + 1);
        assertThat(records.stream().filter(x -> x.get("status").asInt() == 412).count()).isGreaterThanOrEqualTo(19);
        // the record of a failed apply is ApiDaemonTest's: it needs the kernel to refuse a change
    }

    /**
     * Every route of the route table answered successfully in this class, but for {@link ApiDaemonTest#ROUTES}: those
     * answer with the state of a real kernel, and ApiDaemonTest calls them (it needs root, so this check is here, where
     * it always runs).
     */
    @Test
    @Order(99)
    void everyRouteWasCalled() {
        PrometheusText p = PrometheusText.parse(http.get("/metrics", VIEWER).body());
        Set<String> seen = new HashSet<>();
        for (PrometheusText.Sample s : p.named("http_server_requests_seconds_count")) {
            int status = Integer.parseInt(s.labels().get("status"));
            if (status < 400 || status == 412 || status == 409) seen.add(s.labels().get("method") + " " + s.labels().get("route"));
        }
        seen.add("GET /metrics"); // this very request is counted after it is answered
        List<String> missing = new ArrayList<>();
        Set<String> all = new HashSet<>();
        daemon.api().routeTable().forEach((path, methods) -> methods.forEach(m -> {
            all.add(m + " " + path);
            if (!seen.contains(m + " " + path) && !ApiDaemonTest.ROUTES.contains(m + " " + path)) missing.add(m + " " + path);
        }));
        assertThat(missing).as("routes never answered successfully").isEmpty();
        assertThat(all).as("ApiDaemonTest's routes are routes").containsAll(ApiDaemonTest.ROUTES);
    }}
