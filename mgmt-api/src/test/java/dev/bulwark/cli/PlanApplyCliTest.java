package dev.bulwark.cli;

import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bulwark plan} and {@code bulwark apply} run in-process against a throwaway namespace with veth devices eth0
 * and eth1. The kernel's state is checked with nft and ip, not with Bulwark's own readers.
 */
class PlanApplyCliTest {

    static final Path HOME = Path.of("..", "examples", "home-router.yaml");

    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    static TestNamespace router() {
        TestNamespace ns = TestNamespace.create("cli");
        ns.exec("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
        ns.exec("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        return ns;
    }

    /** What an admin would look at: our table, our routes, the addresses and link states. */
    static String kernel(TestNamespace ns) {
        var table = ns.tryExec("nft", "list", "table", "inet", "bulwark");
        return (table.code() == 0 ? table.output() : "no table\n")
                + ns.exec("ip", "route", "show", "table", "all", "proto", "98")
                + ns.exec("ip", "-6", "route", "show", "table", "all", "proto", "98")
                + ns.exec("ip", "-br", "address", "show")
                + ns.exec("sysctl", "net.netfilter.nf_conntrack_udp_timeout", "net.netfilter.nf_conntrack_tcp_timeout_established");
    }

    @KernelTest({NETNS, VETH, NFTABLES, NFT_CLI, CONNTRACK})
    @Test
    void planApplyPlanAgainThenAFailingApplyLeavesTheKernelUnchanged(@TempDir Path dir) throws Exception {
        try (TestNamespace ns = router()) {
            CliTest.Run plan = run("plan", "--netns", ns.name(), HOME.toString());
            assertThat(plan.code()).as(plan.err()).isZero();
            assertThat(plan.out()).startsWith("nft: table inet bulwark, one atomic batch of ")
                    .contains("  + table inet bulwark\n",
                            "  + add rule inet bulwark input_lan (rule 1): ip saddr @set_admins tcp dport 22 counter name \"rule_ssh-admins\" accept comment \"ssh-admins\"\n",
                            "network: 6 operations, each undone if a later step fails\n",
                            "  ~ link eth0 up\n",
                            "  + address 192.168.1.1/24 dev eth1\n",
                            "  + route default via 203.0.113.1 (table main)\n",
                            "sysctl: ",
                            "  ~ net.netfilter.nf_conntrack_tcp_timeout_established = 3600 (was ");
            assertThat(ns.tryExec("nft", "list", "table", "inet", "bulwark").code()).as("plan changes nothing").isNotZero();

            CliTest.Run apply = run("apply", "--netns", ns.name(), HOME.toString());
            assertThat(apply.code()).as(apply.err()).isZero();
            assertThat(apply.out()).startsWith(plan.out()).endsWith("applied\n");
            assertThat(ns.exec("ip", "route", "show", "proto", "98")).contains("default via 203.0.113.1 dev eth0");
            assertThat(ns.exec("nft", "list", "set", "inet", "bulwark", "set_admins")).contains("192.168.1.10");

            CliTest.Run again = run("plan", "--netns", ns.name(), HOME.toString());
            assertThat(again.code()).isZero();
            assertThat(again.out()).isEqualTo("no changes\n");
            CliTest.Run json = run("plan", "--json", "--netns", ns.name(), HOME.toString());
            JsonNode j = new ObjectMapper().readTree(json.out());
            assertThat(j.get("changes").asInt()).isZero();
            assertThat(j.get("subsystems")).isEmpty();

            // one more admin (an nft delta), a LAN address, a UDP timeout, and a route the kernel refuses
            Path bad = dir.resolve("bad.yaml");
            Files.writeString(bad, Files.readString(HOME)
                    .replace("elements: [192.168.1.10]", "elements: [192.168.1.10, 192.168.1.11]")
                    .replace("addresses: [192.168.1.1/24,", "addresses: [192.168.1.1/24, 192.168.2.1/24,")
                    .replace("udp: 30", "udp: 45")
                    .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 10.99.99.99 }"));
            String before = kernel(ns);
            CliTest.Run failed = run("apply", "--netns", ns.name(), bad.toString());
            assertThat(failed.code()).isEqualTo(3);
            assertThat(failed.out()).contains("+ add element inet bulwark set_admins: { 192.168.1.11 }",
                    "+ address 192.168.2.1/24 dev eth1", "+ route 10.9.0.0/16 via 10.99.99.99 (table main)")
                    .doesNotContain("applied");
            assertThat(failed.err()).startsWith("warning: /routes/1/via: gateway 10.99.99.99 is on none of the configured subnets")
                    .contains("bulwark: apply failed: step 3 of 4 failed (network): + route 10.9.0.0/16 via 10.99.99.99 (table main)\n","Network is unreachable (errno 101): Nexthop has invalid gateway",
                            "undid the 2 steps already done (network, nft): the previous state is restored");
            assertThat(kernel(ns)).isEqualTo(before);
            assertThat(run("plan", "--netns", ns.name(), HOME.toString()).out()).isEqualTo("no changes\n");

            CliTest.Run failedJson = run("apply", "--json", "--netns", ns.name(), bad.toString());
            assertThat(failedJson.code()).isEqualTo(3);
            JsonNode fj = new ObjectMapper().readTree(failedJson.out());
            assertThat(fj.get("applied").asBoolean()).isFalse();
            assertThat(fj.get("error").asText()).contains("errno 101");
            assertThat(fj.get("plan").get("operations").asInt()).isEqualTo(5);
            assertThat(kernel(ns)).isEqualTo(before);
        }
    }

    @KernelTest({NETNS, VETH, CONNTRACK})
    @Test
    void conntrackMaxInAChildNamespaceIsAWarningOfApply(@TempDir Path dir) throws Exception {
        try (TestNamespace ns = router()) {
            String host = TestNamespace.run("sysctl", "-n", "net.netfilter.nf_conntrack_max").strip();
            String max = host.equals("131072") ? "65536" : "131072";
            Path config = dir.resolve("router.yaml");
            Files.writeString(config, Files.readString(HOME).replace("max: 262144", "max: " + max));
            CliTest.Run apply = run("apply", "--netns", ns.name(), config.toString());
            assertThat(apply.code()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("warning: conntrack max " + max + " not set in namespace " + ns.name()
                    + ": the kernel allows nf_conntrack_max only in the initial namespace (it stays " + host + ")\n").endsWith("applied\n");
            CliTest.Run json = run("apply", "--json", "--netns", ns.name(), config.toString());
            JsonNode j = new ObjectMapper().readTree(json.out());
            assertThat(j.get("applied").asBoolean()).isTrue();
            assertThat(j.get("warnings").get(0).asText()).startsWith("conntrack max " + max);
        }
    }

    @Test
    void anInvalidConfigIsRefusedAsValidatePrintsIt(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                interfaces:
                  lan: { devcie: eth1 }
                """);
        for (String cmd : new String[]{"plan", "apply"}) {
            CliTest.Run r = run(cmd, "--netns", "bwt-never-opened", bad.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().lines().toList()).containsExactly(
                    "/interfaces/lan/devcie: unknown key 'devcie'; did you mean 'device'? (line 2, column 10)",
                    bad + ": invalid, 1 error");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aMissingNamespaceIsAClearError() {
        CliTest.Run r = run("plan", "--netns", "bwt-no-such-namespace", HOME.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("bwt-no-such-namespace", "ip netns add bwt-no-such-namespace");
    }
}
