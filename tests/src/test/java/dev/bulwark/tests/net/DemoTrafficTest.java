package dev.bulwark.tests.net;

import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.mgmt.cli.Main;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.demo.DemoSandbox;
import dev.bulwark.mgmt.daemon.DemoRouter;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.NamedNamespaces;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import dev.bulwark.tests.net.Traffic.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * End to end through the demo topology, built as {@code bulwark demo} builds it ({@link DemoRouter}: namespaces
 * bw-lan, bw-router, bw-wan, the LAN web server on 192.168.1.20:8443, the daemon managing bw-router with the
 * home-router example) and proven with real packets: the LAN host reaches the WAN host masqueraded, the WAN host
 * reaches the port-forward (tcp 443 → the LAN web server) and nothing else, and {@code /metrics} shows the
 * port-forward's counter rising. The CLI client reads the daemon's status and the NATed connection from conntrack.
 * The namespaces are removed at the end, also when an assertion fails.
 */
@KernelTest({NETNS, VETH, NFTABLES, CONNTRACK})
class DemoTrafficTest {

    static final String TOKEN = "bwk_e2e_demo_3a9f6c02d1";
    static final int DROP_WAIT_MS = 700;
    static final int CONNECT_MS = 2000;
    static final Pattern WEB_PACKETS = Pattern.compile("(?m)^bulwark_rule_packets_total\\{([^}]*)} (\\S+)$");

    @TempDir
    Path tmp;

    @Test
    void lanReachesWanMasqueradedWanReachesOnlyThePortForwardAndItsCounterRises() throws Exception {
        Config home = ConfigLoader.load(Path.of("..", "examples", "home-router.yaml")).orThrow();
        try (DemoRouter demo = DemoRouter.start(home, TOKEN, tmp.resolve("state"), "127.0.0.1", 0);
             NetNamespace lan = NetNamespace.named(DemoSandbox.LAN);
             NetNamespace router = NetNamespace.named(DemoSandbox.ROUTER);
             NetNamespace wan = NetNamespace.named(DemoSandbox.WAN);
             Traffic.TcpServer wanServer = Traffic.tcpServer(wan, 8080);
             Traffic.TcpServer routerSsh = Traffic.tcpServer(router, 22)) {
            String api = demo.api();

            // LAN → WAN, masqueraded: the WAN host sees the router's WAN address as the peer.
            assertThat(Traffic.connect(lan, "203.0.113.1", 8080, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
            assertThat(wanServer.peers(1)).containsExactly(InetAddress.getByName("203.0.113.2"));

            // WAN → the port-forward: 203.0.113.2:443 is the LAN web server, which sees the WAN host as the client.
            double before = webPackets(api);
            String page = httpGet(wan, "203.0.113.2", 443);
            assertThat(page).startsWith("HTTP/1.1 200 ")
                    .contains("hello from 192.168.1.20, the LAN web server behind Bulwark's port-forward; you came from 203.0.113.1");
            double after = webPackets(api);
            assertThat(after).as("bulwark_rule_packets_total{kind=port-forward,rule=web} before %s, after %s", before, after).isGreaterThan(before);

            // ...and nothing else: the router's own port 22 (open from the LAN) and the LAN server directly are dropped.
            assertThat(Traffic.connect(lan, "192.168.1.1", 22, CONNECT_MS)).isEqualTo(Outcome.CONNECTED);
            assertThat(Traffic.connect(wan, "203.0.113.2", 22, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
            TestNamespace.run("ip", "-n", DemoSandbox.WAN, "route", "add", "192.168.1.0/24", "via", "203.0.113.2");
            assertThat(Traffic.connect(wan, "192.168.1.20", 8443, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
            assertThat(Traffic.connect(wan, "203.0.113.2", 8443, DROP_WAIT_MS)).isEqualTo(Outcome.TIMEOUT);
            assertThat(webPackets(api)).as("only the connection to port 443 hit the port-forward").isEqualTo(after);

            // The CLI client against the demo, as its banner suggests.
            String[] auth = {"--api", api, "--token", TOKEN};
            String status = cli(0, "status", auth[0], auth[1], auth[2], auth[3]);
            assertThat(status).contains("converged       yes", "revision        applied 1, newest 1");
            assertThat(cli(0, "revisions", auth[0], auth[1], auth[2], auth[3])).contains("initial config from");
            String ct = cli(0, "conntrack", "--port", "443", auth[0], auth[1], auth[2], auth[3]);
            assertThat(ct).containsPattern("tcp +\\S+ +\\d+s +203\\.0\\.113\\.1:\\d+ → 203\\.0\\.113\\.2:443 +192\\.168\\.1\\.20:8443 → 203\\.0\\.113\\.1:\\d+");
        } finally {
            DemoSandbox.removeLeftovers();
        }
        for (String ns : DemoSandbox.NAMESPACES) assertThat(NamedNamespaces.exists(ns)).as(ns + " removed").isFalse();
    }

    /** The port-forward rule's packet counter from /metrics. */
    static double webPackets(String api) throws Exception {
        HttpResponse<String> r;
        try (HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            r = c.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(r.statusCode()).isEqualTo(200);
        Matcher m = WEB_PACKETS.matcher(r.body());
        while (m.find()) {
            if (m.group(1).contains("kind=\"port-forward\"") && m.group(1).contains("rule=\"web\"")) return Double.parseDouble(m.group(2));
        }
        throw new AssertionError("no bulwark_rule_packets_total{kind=\"port-forward\",rule=\"web\"} in /metrics:\n" + r.body());
    }

    /** An HTTP/1.1 GET over a TCP socket made in {@code ns}; the whole answer (head and body). */
    static String httpGet(NetNamespace ns, String address, int port) throws IOException {
        Socket s = ns.call(() -> {
            Socket sock = new Socket();
            sock.bind(null); // the descriptor is made here, on the namespace's thread
            return sock;
        });
        try (s) {
            s.connect(new InetSocketAddress(address, port), CONNECT_MS);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + address + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs the bulwark CLI in-process; asserts its exit code; returns what it printed. */
    static String cli(int expected, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        assertThat(code).as("bulwark %s\n%s%s", String.join(" ", args), out, err).isEqualTo(expected);
        return out.toString();
    }
}
