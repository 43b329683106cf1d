package dev.bulwark.control.lockout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Firewall;
import dev.bulwark.config.model.Verdict;
import dev.bulwark.config.model.Zone;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Anti-lockout: which configs are refused, with which explanation and pointer, and which pass. */
class AntiLockoutTest {

    /** A router with wan and lan; the API on the lan address; lan's input policy and the rules vary. */
    static Config config(String lanInput, String rules, String management) {
        String yaml = """
                version: 1
                interfaces:
                  wan: { device: eth0, addresses: [203.0.113.2/24] }
                  lan: { device: eth1, addresses: [192.168.1.1/24, "fd00:1::1/64"] }
                  lab: { device: eth2, addresses: [10.9.0.1/24] }
                zones:
                  wan: { interfaces: [wan], input: drop }
                  lan: { interfaces: [lan], input: %s }
                  lab: { interfaces: [lab], input: accept }
                sets:
                  admins: { type: ipv4, elements: [192.168.1.10, 192.168.1.11] }
                  everyone: { type: ipv4, elements: [0.0.0.0/1, 128.0.0.0-255.255.255.255] }
                  mgmt-ports: { type: port, elements: [8000-8999] }
                firewall:
                  rules:
                %s
                management:
                %s
                """.formatted(lanInput, rules.isEmpty() ? "    []" : rules.indent(4).stripTrailing(),
                (management.isEmpty() ? "listen: \"192.168.1.1:8443\"\nzones: [lan]" : management).indent(2).stripTrailing());
        LoadResult r = ConfigLoader.parse(yaml, Format.YAML);
        assertThat(r.errors()).as("validation of the test config:\n" + yaml).isEmpty();
        return r.config();
    }

    static Config config(String lanInput, String rules) {
        return config(lanInput, rules, "");
    }

    static List<Problem> check(Config c) {
        List<Problem> ps = AntiLockout.check(c);
        assertThat(ps).allMatch(Problem::isError);
        return ps;
    }

    // ---- refused

    @Test
    void aDroppingInputPolicyWithNoAcceptRule() {
        List<Problem> ps = check(config("drop", """
                - { name: ssh, from: lan, to: self, protocol: tcp, port: 22, action: accept }
                """));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/zones/lan/input");
            assertThat(p.message()).isEqualTo("the input policy of zone lan (/zones/lan/input) drops tcp to port 8443 from zone lan, "
                    + "and no rule from lan to self accepts it before: the management API on 192.168.1.1:8443 would be cut off from its "
                    + "management zone 'lan'. Add a rule {from: lan, to: self, protocol: tcp, port: 8443, action: accept}, "
                    + "or set management.anti-lockout to false");
        });
    }

    @Test
    void aRejectingInputPolicy() {
        assertThat(check(config("reject", ""))).singleElement().extracting(Problem::message).asString()
                .startsWith("the input policy of zone lan (/zones/lan/input) rejects tcp to port 8443 from zone lan");
    }

    @Test
    void anEarlierDropRule() {
        List<Problem> ps = check(config("accept", """
                - { name: ssh, from: lan, to: self, protocol: tcp, port: 22, action: accept }
                - { name: dns, from: lan, to: self, protocol: udp, port: 53, action: accept }
                - { name: block-all, from: lan, to: self, action: drop }
                - { name: mgmt, from: lan, to: self, protocol: tcp, port: 8443, action: accept }
                """));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/firewall/rules/2");
            assertThat(p.message()).isEqualTo("rule 'block-all' (/firewall/rules/2) drops tcp to port 8443 from zone lan before any rule "
                    + "accepts it: the management API on 192.168.1.1:8443 would be cut off from its management zone 'lan'. "
                    + "Accept tcp to port 8443 from lan to self before this rule, or set management.anti-lockout to false");
        });
    }

    @Test
    void aRejectRuleOnThePort() {
        List<Problem> ps = check(config("accept", """
                - { name: no-web-ui, from: lan, to: self, protocol: tcp, port: [80, 8000-8999], action: reject }
                """));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/firewall/rules/0");
            assertThat(p.message()).startsWith("rule 'no-web-ui' (/firewall/rules/0) rejects tcp to port 8443 from zone lan before any rule accepts it");
        });
    }

    @Test
    void aDropRuleThroughAPortSet() {
        assertThat(check(config("accept", """
                - { name: no-mgmt-ports, from: lan, to: self, protocol: tcp, port: "@mgmt-ports", action: drop }
                """))).extracting(Problem::pointer).containsExactly("/firewall/rules/0");
    }

    @Test
    void aListenAddressOnAnotherZonesInterface() {
        List<Problem> ps = check(config("accept", "", "listen: \"203.0.113.2:8443\"\nzones: [lan]"));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/management/listen");
            assertThat(p.message()).isEqualTo("the management API listens on 203.0.113.2:8443, but 203.0.113.2 is on no enabled interface of "
                    + "management zone 'lan' (it is the address of interface 'wan' in zone 'wan'); listen on 192.168.1.1:8443, "
                    + "or set management.anti-lockout to false");
        });
    }

    @Test
    void aListenAddressOnNoInterface() {
        assertThat(check(config("accept", "", "listen: \"[fd00:9::1]:8443\"\nzones: [lan]"))).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/management/listen");
            assertThat(p.message()).contains("fd00:9::1 is on no enabled interface of management zone 'lan' (no interface of this config has that address)")
                    .contains("listen on [fd00:1::1]:8443");
        });
    }

    @Test
    void anAcceptForSomeSourcesOnlyDoesNotCoverTheZone() {
        List<Problem> ps = check(config("drop", """
                - { name: mgmt-admins, from: lan, to: self, source: "@admins", protocol: tcp, port: 8443, action: accept }
                """));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/zones/lan/input");
            assertThat(p.message()).contains("no rule from lan to self accepts it before for every source "
                    + "(rule 'mgmt-admins' (/firewall/rules/0) accepts it only from @admins)");
        });
    }

    @Test
    void aDropOfSomeSourcesBeforeTheAcceptRefuses() {
        List<Problem> ps = check(config("drop", """
                - { name: quarantine, from: lan, to: self, source: 192.168.1.128/25, action: drop }
                - { name: mgmt, from: lan, to: self, protocol: tcp, port: 8443, action: accept }
                """));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/firewall/rules/0");
            assertThat(p.message()).startsWith("rule 'quarantine' (/firewall/rules/0) drops tcp to port 8443 from zone lan (from 192.168.1.128/25) "
                    + "before any rule accepts it");
        });
    }

    @Test
    void aRateLimitedAcceptDoesNotCoverTheZone() {
        assertThat(check(config("drop", """
                - { name: mgmt, from: lan, to: self, protocol: tcp, port: 8443, limit: 10/second, action: accept }
                """))).singleElement().extracting(Problem::message).asString()
                .contains("rule 'mgmt' (/firewall/rules/0) accepts it only up to 10/second");
    }

    @Test
    void withoutAcceptEstablishedANewOnlyAcceptDoesNotCoverTheConnection() {
        String rules = "- { name: mgmt, from: lan, to: self, protocol: tcp, port: 8443, state: [new], action: accept }\n";
        assertThat(check(config("drop", rules))).isEmpty();
        Config c = config("drop", rules);
        Config noEst = new Config(c.version(), c.interfaces(), c.routes(), c.zones(), c.sets(),
                new Firewall(false, true, c.firewall().policies(), c.firewall().rules()),
                c.nat(), c.conntrack(), c.management());
        assertThat(check(noEst)).singleElement().extracting(Problem::message).asString()
                .contains("accepts it only in state new (not established)");
    }

    @Test
    void aPortForwardOfTheManagementPortInTheZone() {
        String yaml = """
                version: 1
                interfaces:
                  wan: { device: eth0, addresses: [203.0.113.2/24] }
                  lan: { device: eth1, addresses: [192.168.1.1/24] }
                zones:
                  wan: { interfaces: [wan] }
                  lan: { interfaces: [lan], input: accept }
                nat:
                  port-forwards:
                    - { name: web, in: lan, protocol: tcp, port: 8000-9000, to: 192.168.1.20 }
                management: { listen: "192.168.1.1:8443", zones: [lan] }
                """;
        assertThat(check(ConfigLoader.parse(yaml, Format.YAML).orThrow())).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/nat/port-forwards/0");
            assertThat(p.message()).startsWith("port-forward 'web' (/nat/port-forwards/0) sends tcp to port 8443 from zone lan on to "
                    + "192.168.1.20 before it reaches the router");
        });
        // the same forward arriving from wan does not concern lan
        assertThat(check(ConfigLoader.parse(yaml.replace("in: lan", "in: wan"), Format.YAML).orThrow())).isEmpty();
    }

    @Test
    void aOneToOneNatOfTheListenAddress() {
        String yaml = """
                version: 1
                interfaces:
                  wan: { device: eth0, addresses: [203.0.113.2/24] }
                  lan: { device: eth1, addresses: [192.168.1.1/24] }
                zones:
                  wan: { interfaces: [wan] }
                  lan: { interfaces: [lan], input: accept }
                nat:
                  one-to-one:
                    - { name: oops, in: lan, external: 192.168.1.1, internal: 192.168.1.30 }
                management: { listen: "192.168.1.1:8443", zones: [lan] }
                """;
        assertThat(check(ConfigLoader.parse(yaml, Format.YAML).orThrow())).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/nat/one-to-one/0");
            assertThat(p.message()).startsWith("1:1 NAT 'oops' (/nat/one-to-one/0) translates 192.168.1.1 arriving from zone lan to 192.168.1.30");
        });
    }

    @Test
    void untrackedManagementTrafficNeedsAnAcceptThatIsNotLimitedToNewConnections() {
        String rules = "- { name: mgmt, from: lan, to: self, protocol: tcp, port: 8443, state: [new], action: accept }\n";
        Config c = config("drop", rules);
        assertThat(check(c)).isEmpty();
        Config untracked = new Config(c.version(), c.interfaces(), c.routes(), c.zones(), c.sets(), c.firewall(), c.nat(),
                new dev.bulwark.config.model.Conntrack(null, null, List.of(),
                        List.of(new dev.bulwark.config.model.NoTrack("fast", "lan", List.of(), List.of(), dev.bulwark.config.model.Protocol.TCP,
                                List.of(dev.bulwark.config.types.PortRange.of(8443))))), c.management());
        assertThat(check(untracked)).singleElement().extracting(Problem::message).asString()
                .contains("accepts it only in state new (not untracked)");
    }

    @Test
    void aListenerOnEveryAddressIsCheckedOnEachAddressOfTheZone() {
        String rules = "- { name: not-v6, from: lan, to: self, destination: \"fd00:1::1\", protocol: tcp, port: 8443, action: drop }\n";
        assertThat(check(config("accept", rules, "listen: \"0.0.0.0:8443\"\nzones: [lan]"))).isEmpty();
        assertThat(check(config("accept", rules, "listen: \"[::]:8443\"\nzones: [lan]"))).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/firewall/rules/0");
            assertThat(p.message()).startsWith("rule 'not-v6' (/firewall/rules/0) drops tcp to fd00:1::1 port 8443 from zone lan");
        });
    }

    @Test
    void everyManagementZoneIsChecked() {
        List<Problem> ps = check(config("accept", "", "listen: \"192.168.1.1:8443\"\nzones: [lan, wan]"));
        assertThat(ps).extracting(Problem::pointer).containsExactly("/zones/wan/input");
    }

    // ---- accepted

    @Test
    void anAcceptingInputPolicy() {
        assertThat(check(config("accept", ""))).isEmpty();
    }

    @Test
    void anExplicitAcceptRuleForThePort() {
        assertThat(check(config("drop", """
                - { name: ssh, from: lan, to: self, protocol: tcp, port: 22, action: accept }
                - { name: mgmt, from: lan, to: self, protocol: tcp, port: 8443, action: accept }
                - { name: block-all, from: lan, to: self, action: drop }
                """))).isEmpty();
    }

    @Test
    void anAcceptFromSourcesThatJoinUpToEverything() {
        assertThat(check(config("drop", """
                - { name: mgmt, from: lan, to: self, source: "@everyone", protocol: tcp, port: 8443, action: accept }
                """))).isEmpty();
        assertThat(check(config("drop", """
                - { name: mgmt, from: lan, to: self, source: 0.0.0.0/0, protocol: tcp, port: 8443, action: accept }
                """))).isEmpty();
    }

    @Test
    void dropRulesThatCannotMatchTheManagementTraffic() {
        assertThat(check(config("accept", """
                - { name: other-zone, from: wan, to: self, action: drop }
                - { name: udp-only, from: lan, to: self, protocol: udp, port: 8443, action: drop }
                - { name: other-port, from: lan, to: self, protocol: tcp, port: 22, action: drop }
                - { name: v6-only, from: lan, to: self, source: "fd00:1::/64", action: drop }
                - { name: other-address, from: lan, to: self, destination: 192.168.1.2, action: drop }
                - { name: disabled, from: lan, to: self, action: drop, enabled: false }
                - { name: forward, from: lan, to: wan, action: drop }
                - { name: only-invalid, from: lan, to: self, state: [invalid], action: drop }
                """))).isEmpty();
    }

    @Test
    void antiLockoutOff() {
        Config c = config("drop", "- { name: block-all, from: lan, to: self, action: drop }\n",
                "listen: \"203.0.113.2:8443\"\nzones: [lan]\nanti-lockout: false");
        assertThat(check(c)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8080", "127.0.0.53:9000", "[::1]:8080"})
    void aLoopbackListener(String listen) {
        Config c = config("drop", "- { name: block-all, from: lan, to: self, action: reject }\n",
                "listen: \"" + listen + "\"\nzones: [lan]");
        assertThat(check(c)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"home-router.yaml", "small-office.yaml"})
    void theExamplesAreAccepted(String name) {
        Config c = ConfigLoader.load(Path.of("..", "examples", name)).orThrow();
        assertThat(c.management().antiLockout()).isTrue();
        assertThat(check(c)).isEmpty();
    }

    @Test
    void theSmallOfficeWouldBeRefusedWithADroppingLan() {
        Config c = ConfigLoader.load(Path.of("..", "examples", "small-office.yaml")).orThrow();
        Zone lan = c.zones().get("lan");
        Map<String, Zone> zones = new LinkedHashMap<>(c.zones());
        zones.put("lan", new Zone(lan.interfaces(), Verdict.DROP, lan.forward(), lan.output(), lan.description()));
        Config dropping = new Config(c.version(), c.interfaces(), c.routes(), zones, c.sets(), c.firewall(), c.nat(), c.conntrack(),
                c.management());
        assertThat(check(dropping)).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/zones/lan/input");
            assertThat(p.message()).startsWith("the input policy of zone lan (/zones/lan/input) drops tcp to port 8443 from zone lan")
                    .contains("the management API on 10.10.0.1:8443 would be cut off");
        });
    }
}
