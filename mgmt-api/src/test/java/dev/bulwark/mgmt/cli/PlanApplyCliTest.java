package dev.bulwark.mgmt.cli;

import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static dev.bulwark.dataplane.testing.KernelFeature.VETH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.control.revision.RevisionStore;
import dev.bulwark.mgmt.daemon.Daemon;
import dev.bulwark.mgmt.daemon.FakeKernelDaemon;
import dev.bulwark.mgmt.daemon.DemoRouter;
import dev.bulwark.dataplane.TestNamespace;
import java.util.Map;
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

    /** {@code bulwark CMD --state-dir STATE ARGS...}: plan and apply run the engine against a state directory. */
    static CliTest.Run run(Path state, String cmd, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = cmd;
        all[1] = "--state-dir";
        all[2] = state.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliTest.run(all);
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
        Path state = dir.resolve("state");
        try (TestNamespace ns = router()) {
            CliTest.Run plan = run(state, "plan", "--netns", ns.name(), HOME.toString());
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

            CliTest.Run apply = run(state, "apply", "--netns", ns.name(), HOME.toString());
            assertThat(apply.code()).as(apply.err()).isZero();
            assertThat(apply.out()).startsWith(plan.out()).endsWith("applied (revision 1 in " + state + ")\n");
            assertThat(ns.exec("ip", "route", "show", "proto", "98")).contains("default via 203.0.113.1 dev eth0");
            assertThat(ns.exec("nft", "list", "set", "inet", "bulwark", "set_admins")).contains("192.168.1.10");

            CliTest.Run again = run(state, "plan", "--netns", ns.name(), HOME.toString());
            assertThat(again.code()).isZero();
            assertThat(again.out()).isEqualTo("no changes\n");
            CliTest.Run json = run(state, "plan", "--json", "--netns", ns.name(), HOME.toString());
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
            CliTest.Run failed = run(state, "apply", "--netns", ns.name(), bad.toString());
            assertThat(failed.code()).isEqualTo(3);
            assertThat(failed.out()).contains("+ add element inet bulwark set_admins: { 192.168.1.11 }",
                    "+ address 192.168.2.1/24 dev eth1", "+ route 10.9.0.0/16 via 10.99.99.99 (table main)")
                    .doesNotContain("applied");
            assertThat(failed.err()).startsWith("warning: /routes/1/via: gateway 10.99.99.99 is on none of the configured subnets")
                    .contains("error: The kernel refused the change; the previous state was restored — step 3 of 4 failed (network): + route 10.9.0.0/16 via 10.99.99.99 (table main)\n",
                            "Network is unreachable (errno 101): Nexthop has invalid gateway",
                            "undid the 2 steps already done (network, nft): the previous state is restored",
                            "failed operation: + route 10.9.0.0/16 via 10.99.99.99 (table main)");
            assertThat(kernel(ns)).isEqualTo(before);
            assertThat(run(state, "plan", "--netns", ns.name(), HOME.toString()).out()).isEqualTo("no changes\n");

            CliTest.Run failedJson = run(state, "apply", "--json", "--netns", ns.name(), bad.toString());
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
        Path state = dir.resolve("state");
        try (TestNamespace ns = router()) {
            String host = TestNamespace.run("sysctl", "-n", "net.netfilter.nf_conntrack_max").strip();
            String max = host.equals("131072") ? "65536" : "131072";
            Path config = dir.resolve("router.yaml");
            Files.writeString(config, Files.readString(HOME).replace("max: 262144", "max: " + max));
            CliTest.Run apply = run(state, "apply", "--netns", ns.name(), config.toString());
            assertThat(apply.code()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("warning: conntrack max " + max + " not set in namespace " + ns.name()
                    + ": the kernel allows nf_conntrack_max only in the initial namespace (it stays " + host + ")\n").endsWith("applied (revision 1 in " + state + ")\n");
            CliTest.Run json = run(state, "apply", "--json", "--netns", ns.name(), config.toString());
            JsonNode j = new ObjectMapper().readTree(json.out());
            assertThat(j.get("applied").asBoolean()).isTrue();
            assertThat(j.get("warnings").get(0).asText()).startsWith("conntrack max " + max);
        }
    }

    @Test
    void anInvalidConfigIsRefusedAsValidatePrintsIt(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                interfaces:
                  lan: { devcie: eth1 }
                """);
        for (String cmd : new String[]{"plan", "apply"}) {
            CliTest.Run r = run(state, cmd, "--netns", "bwt-never-opened", bad.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().lines().toList()).containsExactly(
                    "/interfaces/lan/devcie: unknown key 'devcie'; did you mean 'device'? (line 2, column 10)",
                    bad + ": invalid, 1 error");
            assertThat(r.out()).isEmpty();
        }
        assertThat(state).as("an invalid config opens no state directory").doesNotExist();
    }

    @Test
    void aMissingNamespaceIsAClearError(@TempDir Path state) {
        CliTest.Run r = run(state, "plan", "--netns", "bwt-no-such-namespace", HOME.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("bwt-no-such-namespace", "ip netns add bwt-no-such-namespace");
    }

    @KernelTest({NETNS, VETH, NFTABLES, NFT_CLI, CONNTRACK})
    @Test
    void aConfigThatWouldLockTheApiOutIsRefusedWithTheApisWordsAndChangesNothing(@TempDir Path dir) throws Exception {
        String token = "bwk_plan_apply_test_admin_7c1d";
        String home = ConfigWriter.toYaml(DemoRouter.withToken(ConfigLoader.load(HOME).orThrow(), token));
        Path good = dir.resolve("home.yaml");
        Files.writeString(good, home);
        // the API on the WAN address, while only the LAN zone may manage: the anti-lockout check refuses it
        Path lockout = dir.resolve("lockout.yaml");
        Files.writeString(lockout, home.replace("management:\n", "management:\n  listen: \"203.0.113.2:8080\"\n"));
        assertThat(Files.readString(lockout)).contains("203.0.113.2:8080");

        // what the daemon's API answers for that config (a daemon on an in-memory kernel)
        CliTest.Run viaApi;
        try (Daemon d = FakeKernelDaemon.start(good, dir.resolve("daemon-state"))) {
            viaApi = ClientCliTest.cli(Map.of("BULWARK_API", "http://127.0.0.1:" + d.port(), "BULWARK_TOKEN", token), null,
                    "config", "put", lockout.toString()).asRun();
        }
        assertThat(viaApi.code()).as(viaApi.err()).isEqualTo(1);
        assertThat(viaApi.err()).startsWith("error: The config would lock the management API out — refused: ")
                .contains("/management/listen: the management API listens on 203.0.113.2:8080");

        try (TestNamespace ns = router()) {
            Path state = dir.resolve("state");
            assertThat(run(state, "apply", "--netns", ns.name(), good.toString()).code()).isZero();
            String before = kernel(ns);
            CliTest.Run apply = run(state, "apply", "--netns", ns.name(), lockout.toString());
            assertThat(apply.code()).isEqualTo(1);
            assertThat(apply.err()).as("the same words as the API").isEqualTo(viaApi.err());
            assertThat(apply.out()).isEmpty();
            assertThat(kernel(ns)).isEqualTo(before);
            try (RevisionStore store = RevisionStore.open(state)) {
                assertThat(store.latest().orElseThrow().id()).as("no revision recorded").isEqualTo(1);
            }
        }
    }

    @KernelTest({NETNS, VETH, NFTABLES, NFT_CLI, CONNTRACK})
    @Test
    void aStateDirectoryHeldByADaemonIsAClearErrorAndCommitConfirmNeedsTheDaemon(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        try (RevisionStore held = RevisionStore.open(state)) { // as a running daemon holds it
            for (String cmd : new String[]{"plan", "apply"}) {
                CliTest.Run r = run(state, cmd, "--netns", "bwt-never-opened", HOME.toString());
                assertThat(r.code()).isEqualTo(3);
                assertThat(r.err()).contains("the state directory " + state + " is in use by another Bulwark process (a running daemon?)",
                        "bulwark config put FILE");
            }
        }
        try (TestNamespace ns = router()) {
            assertThat(run(state, "apply", "--netns", ns.name(), HOME.toString()).code()).isZero();
            String before = kernel(ns);
            CliTest.Run r = run(state, "apply", "--confirm", "60", "--netns", ns.name(),
                    Files.writeString(dir.resolve("b.yaml"), Files.readString(HOME).replace("udp: 30", "udp: 45")).toString());
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).contains("commit-confirm needs the daemon", "bulwark config put FILE --confirm 60");
            assertThat(kernel(ns)).isEqualTo(before);
        }
    }
}
