package dev.bulwark.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.mgmt.daemon.FakeKernelDaemon;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, bug 4 and the doubled Authorization header, against a daemon on the in-memory kernel: unexpected input is
 * a client error with a problem document, never a 500, and two Authorization headers are refused instead of the first
 * one winning. Requests are written on a raw socket, so that nothing between the test and the server tidies them up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpEdgeCasesTest {

    @TempDir
    static Path tmp;

    Daemon daemon;

    @BeforeAll
    void start() throws Exception {
        Path file = tmp.resolve("router.yaml");
        Files.writeString(file, ApiTest.config(null, null));
        daemon = FakeKernelDaemon.start(file, tmp.resolve("state"));
    }

    @AfterAll
    void stop() {
        if (daemon != null) daemon.close();
    }

    /** Sends {@code request} as it is and returns the status line and head of the answer (bounded: 5 s, 64 KiB). */
    String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", daemon.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) break;
                n += r;
                String sofar = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                int head = sofar.indexOf("\r\n\r\n");
                if (head >= 0 && sofar.contains("\n}")) break;
            }
            return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aFormEncodedBodyOverOneKibIsAClientError() throws Exception {
        String body = "a=" + "x".repeat(4000);
        String r = raw("POST /api/v1/config/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ApiTest.ADMIN
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(r).as(r).startsWith("HTTP/1.1 4").contains("application/problem+json");
    }

    @Test
    void anHttp11RequestWithoutHostIsAClientError() throws Exception {
        String r = raw("GET /api/v1/status HTTP/1.1\r\nAuthorization: Bearer " + ApiTest.ADMIN + "\r\nConnection: close\r\n\r\n");
        assertThat(r).as(r).startsWith("HTTP/1.1 400");
    }

    @Test
    void twoAuthorizationHeadersAreRefused() throws Exception {
        String r = raw("GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ApiTest.ADMIN
                + "\r\nAuthorization: Bearer wrong\r\nConnection: close\r\n\r\n");
        assertThat(r).as(r).startsWith("HTTP/1.1 400").contains("Authorization");
        String one = raw("GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ApiTest.ADMIN + "\r\nConnection: close\r\n\r\n");
        assertThat(one).startsWith("HTTP/1.1 200");
    }

    @Test
    void writesRefusedBeforeTheyBecomeAChangeAreAudited() throws Exception {
        Http http = new Http("http://127.0.0.1:" + daemon.port());
        String cfg = ApiTest.config(null, "192.168.1.10, 192.168.1.11");
        assertThat(http.send("PUT", "/api/v1/config", null, ApiTest.YAML, cfg).status()).isEqualTo(401);
        assertThat(http.send("PUT", "/api/v1/config", "bwk_not_a_token", ApiTest.YAML, cfg).status()).isEqualTo(401);
        assertThat(http.send("PUT", "/api/v1/config", ApiTest.VIEWER, ApiTest.YAML, cfg).status()).isEqualTo(403);
        assertThat(http.send("PUT", "/api/v1/config", ApiTest.ADMIN, "application/x-www-form-urlencoded", "a=b").status()).isEqualTo(415);
        assertThat(http.send("PUT", "/api/v1/config", ApiTest.ADMIN, ApiTest.YAML, cfg, "If-Match", "\"999\"").status()).isEqualTo(412);
        // reads are not audited, refused or not
        assertThat(http.get("/api/v1/config", "bwk_not_a_token").status()).isEqualTo(401);

        Path audit = daemon.api().auditFile();
        java.util.List<com.fasterxml.jackson.databind.JsonNode> refused = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            refused.clear();
            for (String line : Files.readAllLines(audit)) {
                var rec = Http.JSON.readTree(line);
                if (rec.path("action").asText().equals("refused") && rec.path("route").asText().equals("/api/v1/config")) refused.add(rec);
            }
            if (refused.size() >= 4) break;
            Thread.sleep(50);
        }
        assertThat(refused).extracting(r -> r.path("status").asInt()).containsExactly(401, 401, 403, 415);
        // the stale If-Match reached the engine, so it is audited as the change it tried to be
        assertThat(Files.readAllLines(audit).stream().map(l -> {
            try {
                return Http.JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).filter(r -> r.path("action").asText().equals("config-replace") && r.path("status").asInt() == 412)).isNotEmpty();
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.path("method").asText()).isEqualTo("PUT");
            assertThat(r.path("route").asText()).isEqualTo("/api/v1/config");
            assertThat(r.path("from").asText()).isEqualTo("127.0.0.1");
        });
        assertThat(refused.get(2).path("who").asText()).isEqualTo("viewer");
        assertThat(refused.get(0).path("who").asText()).isEqualTo("-");
    }
}
