package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.model.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

    private static final String BASE = """
            interfaces:
              wan: { device: eth0, addresses: [203.0.113.2/24] }
              lan: { device: eth1, addresses: [192.168.1.1/24] }
            zones:
              wan: { interfaces: [wan] }
              lan: { interfaces: [lan], input: accept }
            firewall:
              policies: [ { from: lan, to: wan, action: accept } ]
              rules:
                - { name: ssh, from: lan, to: self, protocol: tcp, port: 22, action: accept }
                - { name: ping, from: wan, to: self, protocol: icmp, icmp-type: echo-request, action: accept }
            nat:
              masquerade: [ { from: lan, out: wan } ]
            """;

    private static Config parse(String yaml) {
        return ConfigLoader.parse(yaml, Format.YAML).orThrow();
    }

    @Test
    void sameConfigSpelledDifferentlyHasNoChanges() {
        String respelled = """
                zones:
                  lan: { input: accept, interfaces: lan }
                  wan: { interfaces: [wan], input: drop }
                interfaces:
                  lan: { addresses: 192.168.1.1/24, device: eth1, enabled: true }
                  wan: { device: eth0, addresses: [203.0.113.2/24] }
                firewall:
                  accept-established: true
                  policies: [ { from: lan, to: wan, action: accept } ]
                  rules:
                    - { name: ssh, from: lan, to: self, protocol: tcp, port: [22], action: accept, counter: true }
                    - { name: ping, from: wan, to: self, protocol: icmp, icmp-type: [echo-request], action: accept }
                nat:
                  masquerade: [ { from: lan, out: wan } ]
                version: 1
                """;
        assertThat(ConfigDiff.between(parse(BASE), parse(respelled))).isEmpty();
        assertThat(ConfigDiff.render(List.of())).isEqualTo("no changes\n");
    }

    @Test
    void additionsRemovalsChangesAndMovesAreListedBySection() {
        String changed = BASE
                .replace("lan: { device: eth1, addresses: [192.168.1.1/24] }",
                        "lan: { device: eth1, addresses: [192.168.1.1/24], mtu: 9000 }\n  dmz: { device: eth2, addresses: [10.30.0.1/24] }")
                .replace("lan: { interfaces: [lan], input: accept }", "lan: { interfaces: [lan], input: accept }\n  dmz: { interfaces: [dmz] }")
                .replace("- { name: ssh, from: lan, to: self, protocol: tcp, port: 22, action: accept }\n    - { name: ping",
                        "- { name: ping")
                .replace("icmp-type: echo-request, action: accept }",
                        "icmp-type: echo-request, action: accept }\n    - { name: ssh, from: lan, to: self, protocol: tcp, port: 2222, action: accept }\n    - { name: web, from: wan, to: dmz, protocol: tcp, port: 443, action: accept }")
                .replace("masquerade: [ { from: lan, out: wan } ]", "masquerade: []");
        List<ConfigDiff.Change> changes = ConfigDiff.between(parse(BASE), parse(changed));
        String text = ConfigDiff.render(changes);
        assertThat(text).isEqualTo("""
                interfaces:
                  + lan mtu: 9000
                  + dmz: {device: eth2, addresses: [10.30.0.1/24]}
                zones:
                  + dmz: {interfaces: [dmz]}
                firewall:
                  ~ rule 'ssh' port: [22] → [2222]
                  ↕ rule 'ssh': position 0 → 1
                  + rule 'web': {name: web, from: wan, to: dmz, protocol: tcp, port: [443], action: accept}
                nat:
                  - masquerade
                """);
        assertThat(changes).filteredOn(c -> c.kind() == ConfigDiff.Kind.ADDED).extracting(ConfigDiff.Change::pointer)
                .containsExactly("/interfaces/lan/mtu", "/interfaces/dmz", "/zones/dmz", "/firewall/rules/2");
    }

    @Test
    void removedSectionsAreListedEntryByEntry() {
        String noFirewall = BASE.substring(0, BASE.indexOf("firewall:")) + "nat:\n  masquerade: [ { from: lan, out: wan } ]\n";
        String text = ConfigDiff.render(ConfigDiff.between(parse(BASE), parse(noFirewall)));
        assertThat(text).contains("firewall:\n").contains("- policies").contains("- rules");
    }
}
