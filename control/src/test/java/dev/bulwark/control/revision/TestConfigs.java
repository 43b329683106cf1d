package dev.bulwark.control.revision;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.model.Config;

/** Small valid configs that differ by a number, for revision tests. */
final class TestConfigs {
    private TestConfigs() {
    }

    static String yaml(int n) {
        return """
                version: 1
                interfaces:
                  lan: { device: eth1, addresses: [192.168.1.1/24], description: "config %d" }
                zones:
                  lan: { interfaces: [lan], input: accept }
                firewall:
                  rules:
                    - { name: r%d, from: lan, to: self, protocol: tcp, port: %d, action: accept }
                """.formatted(n, n, 1 + n % 65535);
    }

    static Config config(int n) {
        return ConfigLoader.parse(yaml(n), Format.YAML).orThrow();
    }
}
