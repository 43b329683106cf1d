package dev.bulwark.mgmt.api;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static dev.bulwark.mgmt.api.ApiTest.ADMIN;
import static dev.bulwark.mgmt.api.ApiTest.VIEWER;
import static dev.bulwark.mgmt.api.ApiTest.YAML;
import static dev.bulwark.mgmt.api.ApiTest.config;
import static dev.bulwark.mgmt.api.ApiTest.isProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import dev.bulwark.mgmt.daemon.Daemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API against a real daemon in-process, managing a real throwaway namespace (router with eth0/eth1, a WAN host
 * and a LAN host): what needs the kernel. A failed apply with the kernel's errno and its audit record, commit-confirm
 * expiry proven by traffic, live state and per-rule counters after pings, drift repair, and a stopped daemon leaving
 * its state in the kernel. The conntrack numbers in the state come from a fake table (the ctnetlink implementation
 * comes from the dataplane). Everything else the API does, on the in-memory kernel and without root, is
 * {@link ApiTest}'s. The tests share one daemon and run in order.
 */
@KernelTest({NETNS, VETH, NFTABLES, NFT_CLI})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiDaemonTest {

    /** The routes this class calls and {@link ApiTest} does not: they answer with the state of a real kernel. */
    static final Set<String> ROUTES = Set.of("GET /api/v1/state", "GET /api/v1/drift");

    @TempDir
    static Path tmp;

    ApiNet net;
    Daemon daemon;
    Http http;
    FakeConntrackTable conntrack = new FakeConntrackTable(3000);
    String base;

    @BeforeAll
    void start() throws Exception {
        net = ApiNet.create();
        Path file = tmp.resolve("router.yaml");
        Files.writeString(file, config(null, null));
        daemon = Daemon.start(Daemon.Options.of(file, tmp.resolve("state")).netns(net.router.name()).listen("127.0.0.1", 0)
                .conntrack(ns -> conntrack));
        base = "http://127.0.0.1:" + daemon.port();
        http = new Http(base);
        daemon.ready().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() {
        if (daemon != null) daemon.close();
        if (net != null) net.close();
    }

    private Engine engine() {
        return daemon.engine();
    }

    private long revision() {
        return engine().latest().orElseThrow().id();
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + limit + ": " + what);
            Thread.sleep(50);
        }
    }

    @Test
    @Order(9)
    void aFailedApplyNamesTheOperationAndLeavesTheKernelAsItWas() throws Exception {
        long before = revision();
        String kernel = net.kernel();
        String unreachable = config(null, "192.168.1.10, 192.168.1.13")
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 10.99.99.99 }");
        Http.Res r = http.send("PUT", "/api/v1/config", ADMIN, YAML, unreachable);
        isProblem(r, 409, "apply-failed");
        JsonNode p = r.json();
        assertThat(p.get("operation").asText()).contains("10.9.0.0/16").contains("10.99.99.99");
        assertThat(p.get("subsystem").asText()).isEqualTo("network");
        assertThat(p.get("restored").asBoolean()).isTrue();
        assertThat(p.get("errno").asInt()).isPositive();
        assertThat(p.get("detail").asText()).contains("the previous state is restored");
        assertThat(net.kernel()).isEqualTo(kernel);
        assertThat(revision()).isEqualTo(before);

        List<JsonNode> failed = Files.readAllLines(daemon.api().auditFile(), StandardCharsets.UTF_8).stream().map(l -> {
            try {
                return Http.JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).filter(x -> x.get("status").asInt() == 409 && x.get("action").asText().equals("config-replace")).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("who").asText()).isEqualTo("admin");
        assertThat(failed.get(0).get("detail").asText()).contains("10.99.99.99");
        assertThat(failed.get(0).get("revisionBefore").asLong()).isEqualTo(before);
        assertThat(failed.get(0).get("revisionAfter").isNull()).isTrue();
    }

    @Test
    @Order(10)
    void anUnconfirmedCommitIsRolledBackAtItsDeadlineAndThePortItOpenedClosesAgain() throws Exception {
        NetNamespace router = net.handle(net.router);
        NetNamespace wan = net.handle(net.wan);
        long before = revision();
        try (ApiNet.TcpServer server = new ApiNet.TcpServer(router, 8443)) {
            assertThat(ApiNet.connect(wan, ApiNet.ROUTER_WAN, 8443, 500)).isEqualTo(ApiNet.Outcome.TIMEOUT);
            String open = config("    - { name: web-in, from: wan, to: self, protocol: tcp, port: 8443, action: accept }\n", "192.168.1.10, 192.168.1.12");
            Http.Res r = http.send("PUT", "/api/v1/config?confirm=2&message=try%208443", ADMIN, YAML, open);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().at("/pending/revision").asLong()).isEqualTo(before + 1);
            assertThat(r.json().at("/pending/rollbackTo").asLong()).isEqualTo(before);
            assertThat(ApiNet.connect(wan, ApiNet.ROUTER_WAN, 8443, 2000)).isEqualTo(ApiNet.Outcome.CONNECTED);
            JsonNode pending = http.get("/api/v1/commit", VIEWER).json().get("pending");
            assertThat(pending.get("deadline").asText()).isNotEmpty();

            waitFor("the confirm window expires", Duration.ofSeconds(10), () -> http.get("/api/v1/commit", VIEWER).json().get("pending").isNull());
            waitFor("the rollback revision is applied", Duration.ofSeconds(5), () -> engine().status().converged() && revision() == before + 2);
            JsonNode newest = http.get("/api/v1/revisions", VIEWER).json().get("revisions").get(0);
            assertThat(newest.get("source").asText()).isEqualTo("confirm-timeout");
            assertThat(newest.get("rollbackOf").asLong()).isEqualTo(before);
            assertThat(net.router.exec("nft", "list", "table", "inet", "bulwark")).doesNotContain("web-in");
            assertThat(ApiNet.connect(wan, ApiNet.ROUTER_WAN, 8443, 500)).isEqualTo(ApiNet.Outcome.TIMEOUT);
        }
    }

    @Test
    @Order(13)
    void liveStateAndMetricsShowTheRulesCountersAfterPings() {
        assertThat(http.get("/api/v1/status", VIEWER).json().get("watching").asBoolean()).as("kernel notifications are read").isTrue();
        assertThat(net.pingRouterFromWan()).isTrue();
        Http.Res s = http.get("/api/v1/state", VIEWER);
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        JsonNode st = s.json();
        assertThat(st.get("namespace").asText()).contains(net.router.name());
        JsonNode eth0 = null;
        for (JsonNode i : st.get("interfaces")) if (i.get("name").asText().equals("eth0")) eth0 = i;
        assertThat(eth0).isNotNull();
        assertThat(eth0.get("up").asBoolean()).isTrue();
        assertThat(eth0.get("addresses").toString()).contains("203.0.113.2/24");
        boolean defaultRoute = false;
        for (JsonNode r : st.get("routes")) {
            if (r.get("to").asText().equals("default") && r.get("via").asText().equals("203.0.113.1") && r.get("ours").asBoolean()) defaultRoute = true;
        }
        assertThat(defaultRoute).as(st.get("routes").toString()).isTrue();
        JsonNode ping = null;
        for (JsonNode c : st.get("counters")) if (c.get("name").asText().equals("ping")) ping = c;
        assertThat(ping).as(st.get("counters").toString()).isNotNull();
        assertThat(ping.get("kind").asText()).isEqualTo("rule");
        assertThat(ping.get("pointer").asText()).isEqualTo("/firewall/rules/1");
        // the first echo request of each ping run meets the rule; the rest are established (accepted before the rules)
        long counted = ping.get("packets").asLong();
        assertThat(counted).isGreaterThanOrEqualTo(1);
        assertThat(st.at("/conntrack/entries").asLong()).isPositive();

        assertThat(net.pingRouterFromWan()).isTrue(); // a new ICMP id: one more packet through the rule
        Http.Res m = http.get("/metrics", VIEWER);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        PrometheusText p = PrometheusText.parse(m.body());
        assertThat(p.value("bulwark_rule_packets_total", Map.of("rule", "ping", "kind", "rule"))).isGreaterThanOrEqualTo(counted + 1);
        assertThat(p.value("bulwark_rule_bytes_total", Map.of("rule", "ping", "kind", "rule"))).isGreaterThanOrEqualTo(84 * (counted + 1));
        assertThat(p.value("bulwark_rule_packets_total", Map.of("rule", "web", "kind", "port-forward"))).isZero();
        assertThat(p.value("bulwark_conntrack_entries", Map.of())).isPositive();
        assertThat(p.value("bulwark_reconcile_seconds_count", Map.of("kind", "full"))).isGreaterThanOrEqualTo(1);
        // the rollback at the deadline; the commit before it read the kernel back (full), as the failed apply left
        // the live state unknown
        assertThat(p.value("bulwark_reconcile_seconds_count", Map.of("kind", "partial"))).isGreaterThanOrEqualTo(1);
        assertThat(p.value("bulwark_reconcile_failures_total", Map.of())).isGreaterThanOrEqualTo(1);
        // the first revision and the unconfirmed commit; the rollback at its deadline is counted as a confirm timeout
        assertThat(p.value("bulwark_commits_total", Map.of())).isGreaterThanOrEqualTo(2);
        assertThat(p.value("bulwark_confirm_timeouts_total", Map.of())).isEqualTo(1);
        assertThat(p.value("bulwark_revision", Map.of())).isEqualTo(revision());
        assertThat(p.value("http_server_requests_seconds_count", Map.of("method", "PUT", "route", "/api/v1/config", "status", "409")))
                .isEqualTo(1);
    }

    @Test
    @Order(14)
    void driftIsRepairedAndShown() throws Exception {
        Http.Res first = http.get("/api/v1/drift", VIEWER);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("inSync").asBoolean()).isTrue();
        net.router.exec("ip", "route", "del", "default");
        waitFor("the drift is repaired", Duration.ofSeconds(5), () -> {
            JsonNode d = http.get("/api/v1/drift", VIEWER).json();
            return d.get("records").size() > 0 && d.get("records").get(d.get("records").size() - 1).get("repaired").asBoolean();
        });
        JsonNode d = http.get("/api/v1/drift", VIEWER).json();
        assertThat(d.get("inSync").asBoolean()).isTrue();
        JsonNode rec = d.get("records").get(d.get("records").size() - 1);
        assertThat(rec.get("differences").toString()).contains("default via 203.0.113.1");
        assertThat(net.router.exec("ip", "route", "show", "default")).contains("203.0.113.1");
        assertThat(PrometheusText.parse(http.get("/metrics", VIEWER).body()).value("bulwark_drift_repaired_total", Map.of())).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(100)
    void aStoppedDaemonLeavesTheCommittedStateInTheKernel() {
        String kernel = net.kernel();
        daemon.close();
        assertThat(net.kernel()).isEqualTo(kernel).contains("table inet bulwark");
        daemon = null;
    }}
