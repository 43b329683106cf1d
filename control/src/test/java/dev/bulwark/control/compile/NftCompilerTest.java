package dev.bulwark.control.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import dev.bulwark.dataplane.nft.Chain;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftObject;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.nft.expr.Objref;
import dev.bulwark.dataplane.nft.expr.Verdict;
import dev.bulwark.dataplane.nft.stmt.StatementRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Compiler behaviour that the golden files do not show: errors, sysctls, counters, and the ruleset's own integrity. */
class NftCompilerTest {

    static NftCompileResult compileYaml(String yaml) {
        LoadResult r = ConfigLoader.parse(yaml, Format.YAML);
        assertThat(r.errors()).as("validation of the test config").isEmpty();
        return NftCompiler.compile(r.config());
    }

    static final String BASE = """
            version: 1
            interfaces:
              wan: { device: eth0 }
              lan: { device: eth1, addresses: [192.168.1.1/24] }
            zones:
              wan: { interfaces: [wan] }
              lan: { interfaces: [lan], input: accept }
            """;

    @Test
    void aLogLevelWithAnNflogGroupIsACompileError() {
        NftCompileResult r = compileYaml(BASE + """
                firewall:
                  rules:
                    - { name: x, from: wan, to: self, protocol: tcp, port: 22, log: { group: 3, level: info }, action: drop }
                  policies:
                    - { from: lan, to: wan, action: accept, log: { group: 1, level: debug } }
                """);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).extracting(Problem::pointer).containsExactly("/firewall/policies/0/log/level", "/firewall/rules/0/log/level");
        assertThat(r.errors().get(1).message()).contains("nflog group", "remove 'level'");
        assertThat(r.compiled()).isNull();
    }

    @Test
    void hairpinWithoutAKnownExternalAddressIsACompileError() {
        NftCompileResult r = compileYaml(BASE + """
                nat:
                  port-forwards:
                    - { name: web, in: wan, port: 443, to: "192.168.1.20:8443", hairpin: true }
                """);
        assertThat(r.errors()).extracting(Problem::pointer).containsExactly("/nat/port-forwards/0/hairpin");
        assertThat(r.errors().getFirst().message()).contains("set 'destination'");
        // with the external address given it compiles
        NftCompileResult ok = compileYaml(BASE + """
                nat:
                  port-forwards:
                    - { name: web, in: wan, port: 443, to: "192.168.1.20:8443", destination: 203.0.113.2, hairpin: true }
                """);
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.compiled().text()).contains("iifname != @zone_wan ip daddr 203.0.113.2 tcp dport 443 counter name \"fwd_web\" dnat ip to 192.168.1.20:8443");
    }

    @Test
    void zoneNamesThatCollideInChainNamesAreACompileError() {
        NftCompileResult r = compileYaml("""
                version: 1
                interfaces:
                  a: { device: eth0 }
                  b: { device: eth1 }
                  c: { device: eth2 }
                zones:
                  a: { interfaces: [a] }
                  b: { interfaces: [b] }
                  a_to_b: { interfaces: [c] }
                firewall:
                  policies:
                    - { from: a, to: b, action: accept }
                """);
        assertThat(r.errors()).extracting(Problem::pointer).containsExactly("/zones");
        assertThat(r.errors().getFirst().message()).contains("forward_a_to_b");
        org.assertj.core.api.Assertions.assertThatThrownBy(r::orThrow).isInstanceOf(CompileException.class).hasMessageContaining("/zones: ");
    }

    @Test
    void conntrackSizeAndTimeoutsAreSysctlsNotNft() {
        CompiledNft c = NftCompilerGoldenTest.compile(Path.of("src/test/resources/compile/conntrack.yaml"));
        assertThat(c.sysctls().getFirst().key()).isEqualTo("nf_conntrack_max");
        assertThat(c.sysctls().getFirst().note()).contains("child network namespace");
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("nf_conntrack_max", 65536L);
        expected.put("nf_conntrack_tcp_timeout_established", 3600L);
        expected.put("nf_conntrack_tcp_timeout_syn_sent", 60L);
        expected.put("nf_conntrack_tcp_timeout_syn_recv", 30L);
        expected.put("nf_conntrack_tcp_timeout_fin_wait", 60L);
        expected.put("nf_conntrack_tcp_timeout_close_wait", 30L);
        expected.put("nf_conntrack_tcp_timeout_last_ack", 20L);
        expected.put("nf_conntrack_tcp_timeout_time_wait", 60L);
        expected.put("nf_conntrack_tcp_timeout_close", 5L);
        expected.put("nf_conntrack_udp_timeout", 20L);
        expected.put("nf_conntrack_udp_timeout_stream", 90L);
        expected.put("nf_conntrack_icmp_timeout", 15L);
        expected.put("nf_conntrack_icmpv6_timeout", 15L);
        expected.put("nf_conntrack_generic_timeout", 300L);
        assertThat(c.sysctlValues()).containsExactlyEntriesOf(expected);
        assertThat(c.sysctls()).extracting(DesiredSysctl::pointer).contains("/conntrack/max", "/conntrack/timeouts/udp-stream");
        assertThat(c.text()).doesNotContain("timeout");
    }

    @Test
    void everyRuleAndPortForwardCountsUnderItsName() {
        CompiledNft c = NftCompilerGoldenTest.compile(Path.of("../examples/home-router.yaml"));
        assertThat(c.counters()).containsExactly(Map.entry("rule_ssh-admins", "/firewall/rules/0"), Map.entry("rule_ping", "/firewall/rules/1"),
                Map.entry("rule_ping6", "/firewall/rules/2"), Map.entry("fwd_web", "/nat/port-forwards/0"));
        CompiledNft rules = NftCompilerGoldenTest.compile(Path.of("src/test/resources/compile/rules.yaml"));
        assertThat(rules.counters()).doesNotContainKeys("rule_icmp6-all", "rule_disabled-rule");
        assertThat(rules.text()).doesNotContain("disabled-rule");
    }

    static java.util.stream.Stream<NftCompilerGoldenTest.Golden> goldens() throws IOException {
        return NftCompilerGoldenTest.goldens();
    }

    /** Every jump, set lookup and object reference resolves within the table, every object is used, rules equal their statements. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void theRulesetIsSelfContained(NftCompilerGoldenTest.Golden g) {
        CompiledNft c = NftCompilerGoldenTest.compile(g.config());
        NftRuleset rs = c.ruleset();
        assertThat(rs.table().family()).isEqualTo(Nft.NFPROTO_INET);
        assertThat(rs.table().name()).isEqualTo("bulwark");
        Set<String> usedObjects = new HashSet<>();
        for (Map.Entry<String, List<Rule>> e : rs.rules().entrySet()) {
            assertThat(rs.chains()).containsKey(e.getKey());
            for (Rule r : e.getValue()) {
                for (Expr x : r.exprs()) {
                    switch (x) {
                        case Verdict v when v.chain() != null -> assertThat(rs.chains()).as("jump target in %s", r).containsKey(v.chain());
                        case Lookup l -> assertThat(rs.sets()).as("set of %s", r).containsKey(l.set());
                        case Objref o -> {
                            assertThat(rs.objects()).as("object of %s", r).containsKey(o.name());
                            assertThat(rs.objects().get(o.name()).type()).isEqualTo(o.type());
                            usedObjects.add(o.name());
                        }
                        default -> {
                        }
                    }
                }
            }
        }
        assertThat(usedObjects).as("objects no rule uses").containsExactlyInAnyOrderElementsOf(rs.objects().keySet());
        for (NftSet s : rs.sets().values()) {
            for (SetElement el : s.elements()) {
                if (el.verdictChain() != null) assertThat(rs.chains()).containsKey(el.verdictChain());
            }
        }
        for (Chain ch : rs.chains().values()) {
            if (!ch.isBase()) {
                boolean reached = rs.rules().values().stream().flatMap(List::stream).flatMap(r -> r.exprs().stream())
                        .anyMatch(x -> x instanceof Verdict v && ch.name().equals(v.chain()))
                        || rs.sets().values().stream().flatMap(s -> s.elements().stream()).anyMatch(el -> ch.name().equals(el.verdictChain()));
                assertThat(reached).as("regular chain %s is jumped to", ch.name()).isTrue();
            }
        }
        int n = 0;
        for (List<Rule> l : rs.rules().values()) n += l.size();
        assertThat(n).isEqualTo(c.rules().size());
        for (StatementRule s : c.rules()) assertThat(s.comment() == null || !s.comment().contains("\"")).isTrue();
        for (NftObject o : rs.objects().values()) assertThat(o.name()).matches("[a-z][a-z0-9_-]*");
    }
}
