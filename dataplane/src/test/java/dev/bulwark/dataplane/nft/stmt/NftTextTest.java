package dev.bulwark.dataplane.nft.stmt;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Chain;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftObject;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.nft.stmt.Intervals.Interval;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NftTextTest {

    static Bytes v4(String s) {
        return StmtLoweringDifferentialTest.v4(s);
    }

    static Bytes v6(String s) {
        return StmtLoweringDifferentialTest.v6(s);
    }

    static SortedSet<SetElement> keys(Bytes... k) {
        SortedSet<SetElement> s = new TreeSet<>();
        for (Bytes b : k) s.add(SetElement.of(b));
        return s;
    }

    /** A table with one of everything NftText writes. */
    static NftRuleset sample(List<StatementRule> rules) {
        Map<String, NftSet> sets = new LinkedHashMap<>();
        sets.put("set_admins", new NftSet("set_admins", Nft.TYPE_IPADDR, 4, 0, null, 0, keys(v4("10.10.0.11"), v4("10.10.0.10"))));
        sets.put("set_blocklist", new NftSet("set_blocklist", Nft.TYPE_IPADDR, 4, Nft.SET_INTERVAL, null, 0, Intervals.elements(List.of(
                new Interval(v4("192.0.2.0"), v4("192.0.2.255")), new Interval(v4("203.0.113.64"), v4("203.0.113.127")),
                new Interval(v4("198.18.0.10"), v4("198.18.0.20"))))));
        sets.put("set_v6", new NftSet("set_v6", Nft.TYPE_IP6ADDR, 16, Nft.SET_INTERVAL, null, 0, Intervals.elements(List.of(
                new Interval(v6("fd00::"), v6("fd00::ffff:ffff:ffff:ffff")), Interval.single(v6("2001:db8::1"))))));
        sets.put("set_web-ports", new NftSet("set_web-ports", Nft.TYPE_INET_SERVICE, 2, Nft.SET_INTERVAL, null, 0, Intervals.elements(List.of(
                Interval.single(PortValue.key(80)), Interval.single(PortValue.key(443)), new Interval(PortValue.key(8000), PortValue.key(8100)),
                new Interval(PortValue.key(60000), PortValue.key(65535))))));
        sets.put("set_empty", new NftSet("set_empty", Nft.TYPE_IPADDR, 4, 0, null, 0, new TreeSet<>()));
        sets.put("zone_lan", new NftSet("zone_lan", Nft.TYPE_IFNAME, 16, 0, null, 0, keys(Bytes.ifname("eth1"), Bytes.ifname("eth1.20"))));
        SortedSet<SetElement> vm = new TreeSet<>();
        vm.add(SetElement.jump(Bytes.ifname("eth0"), "input_wan"));
        vm.add(SetElement.jump(Bytes.ifname("eth1"), "input_lan"));
        sets.put("input_zones", new NftSet("input_zones", Nft.TYPE_IFNAME, 16, Nft.SET_MAP, Nft.DATA_VERDICT, 16, vm));
        Map<String, NftObject> objects = new LinkedHashMap<>();
        objects.put("rule_ssh", new NftObject.CounterObject("rule_ssh"));
        objects.put("helper_ftp", new NftObject.CtHelper("helper_ftp", "ftp", Nft.NFPROTO_INET, 6));
        objects.put("tcp_timeouts", new NftObject.CtTimeout("tcp_timeouts", Nft.NFPROTO_INET, 6, Map.of(NftObject.CtTimeout.TCP_ESTABLISHED, 3600, NftObject.CtTimeout.TCP_CLOSE, 10)));
        Map<String, Chain> chains = new LinkedHashMap<>();
        chains.put("input", Chain.base("input", "filter", Nft.HOOK_INPUT, Nft.PRIORITY_FILTER, Nft.NF_DROP));
        chains.put("input_lan", Chain.regular("input_lan"));
        chains.put("input_wan", Chain.regular("input_wan"));
        chains.put("helper", Chain.base("helper", "filter", Nft.HOOK_PREROUTING, Nft.PRIORITY_FILTER, Nft.NF_ACCEPT));
        chains.put("dstnat", Chain.base("dstnat", "nat", Nft.HOOK_PREROUTING, Nft.PRIORITY_DSTNAT, Nft.NF_ACCEPT));
        chains.put("srcnat", Chain.base("srcnat", "nat", Nft.HOOK_POSTROUTING, Nft.PRIORITY_SRCNAT, Nft.NF_ACCEPT));
        chains.put("raw_prerouting", Chain.base("raw_prerouting", "filter", Nft.HOOK_PREROUTING, Nft.PRIORITY_RAW, Nft.NF_ACCEPT));
        return Rulesets.withRules(new NftRuleset(Table.inet("bwtext"), chains, sets, objects, Map.of()), rules);
    }

    static List<StatementRule> sampleRules() {
        return List.of(
                StatementRule.of("input", IfnameMatch.of(IfDir.IIF, "lo"), VerdictStmt.accept()),
                StatementRule.of("input", CtStateMatch.establishedRelated(), VerdictStmt.accept()),
                StatementRule.of("input", new VmapStmt(IfDir.IIF, "input_zones")),
                new StatementRule("input_lan", List.of(AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Named("set_admins")),
                        PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), new CounterStmt("rule_ssh"), VerdictStmt.accept()), "ssh"),
                StatementRule.of("input_lan", PortMatch.tcp(PortField.DPORT, PortValue.Anonymous.ofRanges(List.of(new int[]{25, 25}, new int[]{587, 587}))), VerdictStmt.accept()),
                StatementRule.of("input_wan", new IcmpTypeMatch(true, List.of(128, 135, 136)), new LimitStmt(10, 1, null), VerdictStmt.accept()),
                StatementRule.of("input_wan", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Anonymous(List.of(
                        new Interval(v4("10.0.0.0"), v4("10.255.255.255")), Interval.single(v4("1.2.3.4"))))), new LogStmt("drop: ", 6, null), VerdictStmt.drop()),
                StatementRule.of("input_wan", VerdictStmt.drop()),
                StatementRule.of("helper", IfnameSetMatch.of(IfDir.IIF, "zone_lan"), PortMatch.tcp(PortField.DPORT, new PortValue.Single(21)), new CtHelperSetStmt("helper_ftp")),
                StatementRule.of("helper", L4protoMatch.of(6), new CtTimeoutSetStmt("tcp_timeouts")),
                StatementRule.of("dstnat", IfnameMatch.of(IfDir.IIF, "eth0"), PortMatch.tcp(PortField.DPORT, new PortValue.Single(443)), NatStmt.dnat(false, v4("192.168.1.20"), 8443)),
                StatementRule.of("srcnat", IfnameSetMatch.of(IfDir.OIF, "zone_lan"), L4protoMatch.of(6, 17), NfprotoMatch.ipv4(), new MasqueradeStmt()),
                StatementRule.of("raw_prerouting", PortMatch.udp(PortField.DPORT, new PortValue.Single(53)), new NotrackStmt()));
    }

    @Test
    void rendersEveryKind() {
        String text = NftText.script(sample(sampleRules()), sampleRules());
        assertThat(text).contains("table inet bwtext\ndelete table inet bwtext\n");
        assertThat(text).contains("elements = { 10.10.0.10, 10.10.0.11 }");
        assertThat(text).contains("elements = { 192.0.2.0/24, 198.18.0.10-198.18.0.20, 203.0.113.64/26 }");
        assertThat(text).contains("elements = { 2001:db8::1, fd00::/64 }");
        assertThat(text).contains("elements = { 80, 443, 8000-8100, 60000-65535 }");
        assertThat(text).contains("elements = { \"eth0\" : jump input_wan, \"eth1\" : jump input_lan }");
        // A policy is complete in the kernel: states not given carry the kernel's defaults.
        assertThat(text).contains("policy = { syn_sent : 120, syn_recv : 60, established : 3600, ").contains(" close : 10, ");
        assertThat(text).contains("\t\ttype filter hook input priority filter; policy drop;\n");
        assertThat(text).doesNotContain("__set");
        System.out.println(text);
    }

    @KernelTest({NETNS, NFTABLES, NFT_CLI})
    @Test
    void loadsRepeatedlyAndTheKernelHoldsTheRuleset(@TempDir Path dir) throws Exception {
        try (TestNamespace ns = TestNamespace.create("text")) {
            NftRuleset rs = sample(sampleRules());
            String script = NftText.script(rs, sampleRules());
            RulesetDifferential.loadAndCompare(ns, dir, script, rs);
            // applied again over itself: the same table, not an error or a second copy
            RulesetDifferential.loadAndCompare(ns, dir, script, rs);
            assertThat(ns.exec("nft", "list", "tables")).isEqualTo("table inet bwtext\n");
        }
    }

    @Test
    void decodesIntervalsBack() {
        List<Interval> in = List.of(new Interval(v4("0.0.0.0"), v4("0.255.255.255")), Interval.single(v4("255.255.255.255")),
                new Interval(v4("10.0.0.0"), v4("10.0.0.9")), new Interval(v4("10.0.0.10"), v4("10.0.0.20")));
        assertThat(Intervals.decode(Intervals.elements(in))).isEqualTo(Intervals.merge(in));
        assertThat(Intervals.merge(in)).hasSize(3);
    }
}
