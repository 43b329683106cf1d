package dev.bulwark.dataplane.nft.stmt;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.stmt.Intervals.Interval;
import dev.bulwark.dataplane.testing.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The source of truth for the lowering: every statement kind (alone and combined) is rendered into an nft script,
 * loaded with {@code nft --debug=netlink -f} in a throwaway namespace, and the expressions nft generated (with the
 * elements of its anonymous sets) must equal {@link StatementRule#toRule()} printed by {@link ExprText}.
 */
@KernelTest({NETNS, NFTABLES, NFT_CLI})
class StmtLoweringDifferentialTest {

    enum Hook {
        /** filter input: matches, verdicts, reject, log, limit, counters. */
        FILTER("type filter hook input priority filter; policy accept;"),
        /** filter prerouting: ct helper / ct timeout assignment. */
        PREROUTING("type filter hook prerouting priority filter; policy accept;"),
        RAW("type filter hook prerouting priority raw; policy accept;"),
        DNAT("type nat hook prerouting priority dstnat; policy accept;"),
        SNAT("type nat hook postrouting priority srcnat; policy accept;");

        final String header;

        Hook(String header) {
            this.header = header;
        }
    }

    record Case(String name, Hook hook, List<Stmt> stmts) {
        @Override
        public String toString() {
            return name + ": " + new StatementRule("c", stmts, null).render();
        }
    }

    static Bytes v4(String s) {
        String[] p = s.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(p[i]);
        return Bytes.of(b);
    }

    static Bytes v6(String s) {
        try {
            return Bytes.of(java.net.InetAddress.getByName(s).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Interval iv(Bytes a, Bytes b) {
        return new Interval(a, b);
    }

    static Case c(String name, Hook hook, Stmt... s) {
        return new Case(name, hook, List.of(s));
    }

    static Case f(String name, Stmt... s) {
        return c(name, Hook.FILTER, s);
    }

    static final VerdictStmt ACCEPT = VerdictStmt.accept();
    static final VerdictStmt DROP = VerdictStmt.drop();

    static Stream<Case> cases() {
        List<Case> l = new ArrayList<>();
        // interfaces
        l.add(f("iifname", IfnameMatch.of(IfDir.IIF, "eth0"), ACCEPT));
        l.add(f("oifname negated", new IfnameMatch(IfDir.OIF, "veth-long-name1", true), DROP));
        l.add(f("iifname set", IfnameSetMatch.of(IfDir.IIF, "zs"), ACCEPT));
        l.add(f("oifname not in set", new IfnameSetMatch(IfDir.OIF, "zs", true), DROP));
        l.add(f("iifname vmap", new VmapStmt(IfDir.IIF, "zm")));
        l.add(f("oifname vmap", new VmapStmt(IfDir.OIF, "zm")));
        // families and protocols
        l.add(f("nfproto ipv4", NfprotoMatch.ipv4(), ACCEPT));
        l.add(f("nfproto ipv6", NfprotoMatch.ipv6(), ACCEPT));
        l.add(f("l4proto tcp", L4protoMatch.of(6), ACCEPT));
        l.add(f("l4proto icmpv6", L4protoMatch.of(58), ACCEPT));
        l.add(f("l4proto set", L4protoMatch.of(6, 17), ACCEPT));
        // IPv4 addresses
        l.add(f("ip saddr", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Single(v4("192.168.1.10"))), ACCEPT));
        l.add(f("ip daddr !=", new AddrMatch(AddrField.IP_DADDR, new AddrValue.Single(v4("10.0.0.1")), true), DROP));
        l.add(f("ip saddr /8", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Prefix(v4("10.0.0.0"), 8)), DROP));
        l.add(f("ip saddr /24", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Prefix(v4("192.168.1.0"), 24)), DROP));
        l.add(f("ip saddr /26", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Prefix(v4("203.0.113.64"), 26)), DROP));
        l.add(f("ip saddr /0", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Prefix(v4("0.0.0.0"), 0)), DROP));
        l.add(f("ip saddr /32", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Prefix(v4("1.2.3.4"), 32)), DROP));
        l.add(f("ip saddr != /12", new AddrMatch(AddrField.IP_SADDR, new AddrValue.Prefix(v4("172.16.0.0"), 12), true), DROP));
        l.add(f("ip daddr != /16", new AddrMatch(AddrField.IP_DADDR, new AddrValue.Prefix(v4("172.16.0.0"), 16), true), DROP));
        l.add(f("ip saddr range", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Range(v4("10.0.0.10"), v4("10.0.0.20"))), DROP));
        l.add(f("ip saddr != range", new AddrMatch(AddrField.IP_SADDR, new AddrValue.Range(v4("10.0.0.10"), v4("10.0.0.20")), true), DROP));
        l.add(f("ip saddr @set", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Named("s4")), ACCEPT));
        l.add(f("ip daddr != @set", new AddrMatch(AddrField.IP_DADDR, new AddrValue.Named("s4"), true), DROP));
        l.add(f("ip saddr anon singles", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Anonymous(List.of(
                Interval.single(v4("10.10.0.11")), Interval.single(v4("10.10.0.10"))))), ACCEPT));
        l.add(f("ip saddr anon intervals", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Anonymous(List.of(
                iv(v4("192.0.2.0"), v4("192.0.2.255")), Interval.single(v4("1.2.3.4")), iv(v4("198.18.0.10"), v4("198.18.0.20"))))), DROP));
        l.add(f("ip saddr anon from zero", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Anonymous(List.of(
                iv(v4("0.0.0.0"), v4("0.255.255.255")), Interval.single(v4("255.255.255.255"))))), DROP));
        l.add(f("ip saddr anon adjacent merged", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Anonymous(List.of(
                iv(v4("10.0.0.0"), v4("10.0.0.9")), iv(v4("10.0.0.10"), v4("10.0.0.20")), iv(v4("10.0.0.15"), v4("10.0.0.30"))))), DROP));
        l.add(f("ip saddr and daddr", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Single(v4("1.2.3.4"))),
                AddrMatch.of(AddrField.IP_DADDR, new AddrValue.Single(v4("1.2.3.5"))), ACCEPT));
        // IPv6 addresses
        l.add(f("ip6 saddr", AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Single(v6("fd00:1::20"))), ACCEPT));
        l.add(f("ip6 daddr /64", AddrMatch.of(AddrField.IP6_DADDR, new AddrValue.Prefix(v6("2001:db8:10::"), 64)), ACCEPT));
        l.add(f("ip6 daddr /49", AddrMatch.of(AddrField.IP6_DADDR, new AddrValue.Prefix(v6("fd00::"), 49)), ACCEPT));
        l.add(f("ip6 saddr range", AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Range(v6("2001:db8::1"), v6("2001:db8::9"))), DROP));
        l.add(f("ip6 saddr @set", AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Named("s6")), DROP));
        l.add(f("ip6 saddr anon", AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Anonymous(List.of(
                iv(v6("fd00::"), v6("fd00::ffff:ffff:ffff:ffff")), Interval.single(v6("2001:db8::1"))))), DROP));
        l.add(f("ip6 saddr and daddr", AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Single(v6("fd00::1"))),
                AddrMatch.of(AddrField.IP6_DADDR, new AddrValue.Single(v6("fd00::2"))), ACCEPT));
        // ports
        l.add(f("tcp dport", PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), ACCEPT));
        l.add(f("udp sport", PortMatch.udp(PortField.SPORT, new PortValue.Single(53)), ACCEPT));
        l.add(f("tcp dport range", PortMatch.tcp(PortField.DPORT, new PortValue.Range(8000, 8100)), ACCEPT));
        l.add(f("tcp dport != range", new PortMatch(6, PortField.DPORT, new PortValue.Range(1, 1023), true), DROP));
        l.add(f("tcp dport !=", new PortMatch(6, PortField.DPORT, new PortValue.Single(22), true), DROP));
        l.add(f("tcp dport @set", PortMatch.tcp(PortField.DPORT, new PortValue.Named("sp")), ACCEPT));
        l.add(f("udp dport anon", PortMatch.udp(PortField.DPORT, PortValue.Anonymous.ofRanges(List.of(new int[]{53, 53}, new int[]{67, 68}))), ACCEPT));
        l.add(f("tcp dport anon singles", PortMatch.tcp(PortField.DPORT, PortValue.Anonymous.ofRanges(List.of(new int[]{25, 25}, new int[]{465, 465}, new int[]{587, 587}))), ACCEPT));
        l.add(f("tcp dport anon to 65535", PortMatch.tcp(PortField.DPORT, PortValue.Anonymous.ofRanges(List.of(new int[]{80, 80}, new int[]{1024, 65535}))), ACCEPT));
        l.add(f("tcp sport+dport merge", PortMatch.tcp(PortField.SPORT, new PortValue.Single(1234)), PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), ACCEPT));
        l.add(f("tcp dport+sport merge reordered", PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), PortMatch.tcp(PortField.SPORT, new PortValue.Single(1234)), ACCEPT));
        l.add(f("tcp sport!= dport!= merge", new PortMatch(6, PortField.SPORT, new PortValue.Single(1), true), new PortMatch(6, PortField.DPORT, new PortValue.Single(2), true), ACCEPT));
        l.add(f("tcp sport == dport != no merge", PortMatch.tcp(PortField.SPORT, new PortValue.Single(1)), new PortMatch(6, PortField.DPORT, new PortValue.Single(2), true), ACCEPT));
        l.add(f("tcp sport range dport", PortMatch.tcp(PortField.SPORT, new PortValue.Range(1024, 65535)), PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), ACCEPT));
        l.add(f("tcp sport, counter, dport merge across", PortMatch.tcp(PortField.SPORT, new PortValue.Single(1)), new CounterStmt("c1"), PortMatch.tcp(PortField.DPORT, new PortValue.Single(2)), ACCEPT));
        l.add(f("l4proto tcp then dport", L4protoMatch.of(6), PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), ACCEPT));
        l.add(f("addr then port", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Named("s4")), PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), ACCEPT));
        l.add(f("port then addr", PortMatch.udp(PortField.DPORT, new PortValue.Single(53)), AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Single(v6("fd00::53"))), ACCEPT));
        l.add(f("nfproto then addr", NfprotoMatch.ipv4(), AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Single(v4("1.2.3.4"))), ACCEPT));
        l.add(f("nfproto ipv6 then tcp", NfprotoMatch.ipv6(), PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), ACCEPT));
        // ICMP
        l.add(f("icmp type", new IcmpTypeMatch(false, List.of(8)), ACCEPT));
        l.add(f("icmp types", new IcmpTypeMatch(false, List.of(8, 0, 11)), ACCEPT));
        l.add(f("icmpv6 type", new IcmpTypeMatch(true, List.of(128)), ACCEPT));
        l.add(f("icmpv6 types", new IcmpTypeMatch(true, List.of(128, 135, 136, 134)), ACCEPT));
        l.add(f("l4proto icmp then type", L4protoMatch.of(1), new IcmpTypeMatch(false, List.of(8)), ACCEPT));
        l.add(f("nfproto ipv6 then icmpv6", NfprotoMatch.ipv6(), new IcmpTypeMatch(true, List.of(128)), ACCEPT));
        l.add(f("addr then icmp", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Single(v4("1.2.3.4"))), new IcmpTypeMatch(false, List.of(8)), ACCEPT));
        // conntrack
        l.add(f("ct state est,rel", CtStateMatch.establishedRelated(), ACCEPT));
        l.add(f("ct state invalid", CtStateMatch.invalid(), DROP));
        l.add(f("ct state all", new CtStateMatch(1 | 2 | 4 | 8 | 64), ACCEPT));
        l.add(f("ct status dnat", CtStatusMatch.dnat(), ACCEPT));
        l.add(f("ct status dnat with addr port", AddrMatch.of(AddrField.IP_DADDR, new AddrValue.Single(v4("192.168.1.20"))),
                PortMatch.tcp(PortField.DPORT, new PortValue.Single(8443)), CtStatusMatch.dnat(), new CounterStmt("c1"), ACCEPT));
        // limit, log, counter
        l.add(f("limit", new LimitStmt(10, 1, null), ACCEPT));
        l.add(f("limit burst", new LimitStmt(5, 1, 10), ACCEPT));
        l.add(f("limit minute", new LimitStmt(100, 60, null), ACCEPT));
        l.add(f("limit hour burst", new LimitStmt(1000, 3600, 3), ACCEPT));
        l.add(f("limit day", new LimitStmt(5000, 86400, null), ACCEPT));
        l.add(f("log", new LogStmt(null, null, null)));
        l.add(f("log level", new LogStmt(null, 4, null)));
        l.add(f("log prefix level", new LogStmt("blocklist: ", 6, null), DROP));
        l.add(f("log group", new LogStmt(null, null, 2)));
        l.add(f("log prefix group", new LogStmt("ssh ", null, 65535), ACCEPT));
        l.add(f("counter", new CounterStmt("c1"), ACCEPT));
        l.add(f("counter name with dash", new CounterStmt("rule_ssh-admins"), ACCEPT));
        // verdicts
        l.add(f("accept", ACCEPT));
        l.add(f("drop", DROP));
        l.add(f("return", VerdictStmt.ret()));
        l.add(f("jump", VerdictStmt.jump("target")));
        l.add(f("goto", IfnameMatch.of(IfDir.IIF, "eth1"), VerdictStmt.goTo("target")));
        // reject
        l.add(f("reject tcp reset after tcp match", PortMatch.tcp(PortField.DPORT, new PortValue.Single(22)), RejectStmt.tcpReset()));
        l.add(f("reject tcp reset alone", RejectStmt.tcpReset()));
        l.add(f("reject tcp reset after log", new LogStmt("x ", 4, null), RejectStmt.tcpReset()));
        l.add(f("reject tcp reset after l4proto", L4protoMatch.of(6), RejectStmt.tcpReset()));
        l.add(f("reject icmpx", RejectStmt.icmpxPortUnreachable()));
        l.add(f("reject icmpx after ip match", AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Single(v4("1.2.3.4"))), RejectStmt.icmpxPortUnreachable()));
        l.add(f("reject icmp", RejectStmt.icmpPortUnreachable(false)));
        l.add(f("reject icmpv6 after ip6", AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Prefix(v6("fd00::"), 8)), RejectStmt.icmpPortUnreachable(true)));
        l.add(f("reject icmpx admin", new RejectStmt(Nft.REJECT_ICMPX_UNREACH, Nft.REJECT_ICMPX_ADMIN_PROHIBITED, null)));
        l.add(f("udp with counter reject icmpx", PortMatch.udp(PortField.DPORT, new PortValue.Single(53)), new CounterStmt("c1"), RejectStmt.icmpxPortUnreachable()));
        // NAT
        l.add(c("dnat addr:port", Hook.DNAT, IfnameSetMatch.of(IfDir.IIF, "zs"), PortMatch.tcp(PortField.DPORT, new PortValue.Single(443)),
                new CounterStmt("c1"), NatStmt.dnat(false, v4("192.168.1.20"), 8443)));
        l.add(c("dnat addr", Hook.DNAT, PortMatch.tcp(PortField.DPORT, new PortValue.Range(8000, 8100)), NatStmt.dnat(false, v4("10.30.0.10"), null)));
        l.add(c("dnat with nfproto", Hook.DNAT, NfprotoMatch.ipv4(), PortMatch.tcp(PortField.DPORT, new PortValue.Single(443)), NatStmt.dnat(false, v4("10.30.0.10"), 8443)));
        l.add(c("dnat ip6 addr:port", Hook.DNAT, AddrMatch.of(AddrField.IP6_DADDR, new AddrValue.Single(v6("2001:db8::2"))),
                PortMatch.tcp(PortField.DPORT, new PortValue.Single(443)), NatStmt.dnat(true, v6("fd00:1::20"), 8443)));
        l.add(c("dnat hairpin", Hook.DNAT, IfnameSetMatch.of(IfDir.IIF, "zs"), AddrMatch.of(AddrField.IP_DADDR, new AddrValue.Single(v4("203.0.113.2"))),
                PortMatch.tcp(PortField.DPORT, new PortValue.Single(443)), NatStmt.dnat(false, v4("192.168.1.20"), 8443)));
        l.add(c("dnat 1:1", Hook.DNAT, AddrMatch.of(AddrField.IP_DADDR, new AddrValue.Single(v4("198.51.100.14"))), NatStmt.dnat(false, v4("10.30.0.25"), null)));
        l.add(c("dnat prefix netmap", Hook.DNAT, AddrMatch.of(AddrField.IP_DADDR, new AddrValue.Prefix(v4("198.51.100.0"), 28)),
                new NatStmt(Nft.NAT_DNAT, false, v4("10.30.0.0"), v4("10.30.0.15"), null, true)));
        l.add(c("snat prefix netmap ip6", Hook.SNAT, AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Prefix(v6("fd00:1::"), 64)),
                new NatStmt(Nft.NAT_SNAT, true, v6("2001:db8:1::"), v6("2001:db8:1::ffff:ffff:ffff:ffff"), null, true)));
        l.add(c("snat addr", Hook.SNAT, IfnameSetMatch.of(IfDir.OIF, "zs"), NatStmt.snat(false, v4("198.51.100.3"))));
        l.add(c("snat pool", Hook.SNAT, IfnameSetMatch.of(IfDir.IIF, "zs"), IfnameSetMatch.of(IfDir.OIF, "zs"),
                new NatStmt(Nft.NAT_SNAT, false, v4("198.51.100.3"), v4("198.51.100.6"), null, false)));
        l.add(c("snat ip6", Hook.SNAT, AddrMatch.of(AddrField.IP6_SADDR, new AddrValue.Single(v6("fd00::4"))), NatStmt.snat(true, v6("2001:db8::5"))));
        l.add(c("masquerade", Hook.SNAT, IfnameMatch.of(IfDir.OIF, "eth0"), MasqueradeStmt()));
        l.add(c("masquerade ipv4 only", Hook.SNAT, IfnameSetMatch.of(IfDir.IIF, "zs"), IfnameSetMatch.of(IfDir.OIF, "zs"), NfprotoMatch.ipv4(), new MasqueradeStmt()));
        l.add(c("masquerade hairpin", Hook.SNAT, IfnameSetMatch.of(IfDir.OIF, "zs"), AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Prefix(v4("192.168.1.0"), 24)),
                AddrMatch.of(AddrField.IP_DADDR, new AddrValue.Single(v4("192.168.1.20"))), PortMatch.tcp(PortField.DPORT, new PortValue.Single(8443)),
                CtStatusMatch.dnat(), new MasqueradeStmt()));
        // raw and helpers
        l.add(c("notrack", Hook.RAW, IfnameSetMatch.of(IfDir.IIF, "zs"), AddrMatch.of(AddrField.IP_SADDR, new AddrValue.Single(v4("10.30.0.53"))),
                PortMatch.udp(PortField.DPORT, new PortValue.Single(53)), new NotrackStmt()));
        l.add(c("ct helper set", Hook.PREROUTING, PortMatch.tcp(PortField.DPORT, new PortValue.Single(21)), new CtHelperSetStmt("h1")));
        l.add(c("ct helper set zone", Hook.PREROUTING, IfnameSetMatch.of(IfDir.IIF, "zs"), PortMatch.udp(PortField.DPORT, new PortValue.Single(5060)), new CtHelperSetStmt("h1")));
        l.add(c("ct timeout set", Hook.PREROUTING, L4protoMatch.of(6), new CtTimeoutSetStmt("t1")));
        return l.stream();
    }

    private static MasqueradeStmt MasqueradeStmt() {
        return new MasqueradeStmt();
    }

    static TestNamespace ns;

    @BeforeAll
    static void namespace() {
        ns = TestNamespace.create("stmt");
    }

    @AfterAll
    static void close() {
        if (ns != null) ns.close();
    }

    static String script(Case k, String rule) {
        return """
                table inet bwdiff {
                	set s4 {
                		type ipv4_addr
                		flags interval
                	}
                	set s6 {
                		type ipv6_addr
                	}
                	set sp {
                		type inet_service
                		flags interval
                	}
                	set zs {
                		type ifname
                	}
                	map zm {
                		type ifname : verdict
                	}
                	counter c1 {
                	}
                	counter rule_ssh-admins {
                	}
                	ct helper h1 {
                		type "ftp" protocol tcp
                		l3proto inet
                	}
                	ct timeout t1 {
                		protocol tcp
                		l3proto inet
                		policy = { established : 100 }
                	}
                	chain target {
                	}
                	chain c {
                		%s
                		%s
                	}
                }
                """.formatted(k.hook.header, rule);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loweringEqualsNft(Case k, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        StatementRule rule = new StatementRule("c", k.stmts, null);
        Path file = dir.resolve("case.nft");
        Files.writeString(file, script(k, rule.render()));
        ns.tryExec("nft", "delete", "table", "inet", "bwdiff");
        TestNamespace.Result r = ns.tryExec("nft", "--debug=netlink", "-f", file.toString());
        assertThat(r.code()).as("nft -f of\n%s\n%s", rule.render(), r.output()).isZero();
        NftDebug.Output out = NftDebug.parse(r.output());
        List<NftDebug.RuleText> rules = out.rules().stream().filter(x -> x.chain().equals("c")).toList();
        assertThat(rules).as("rules nft printed for %s:\n%s", rule.render(), r.output()).hasSize(1);
        NftDebug.RuleText nft = rules.getFirst();
        assertThat(ExprText.rule(rule.toRule())).as("lowering of: %s", rule.render())
                .isEqualTo(String.join("\n", nft.exprs().stream().map(ExprText::kernelForm).toList()));

        List<AnonSet> ours = rule.anonymousSets();
        assertThat(nft.anonSets()).as("anonymous sets of %s", rule.render()).hasSize(ours.size());
        for (int i = 0; i < ours.size(); i++) {
            AnonSet a = ours.get(i);
            NftDebug.AnonSetText t = nft.anonSets().get(i);
            assertThat(t.flags()).as("flags of anonymous set %d of %s", i, rule.render()).isEqualTo(a.flags());
            assertThat(sorted(t.elements())).as("elements of anonymous set %d of %s", i, rule.render()).isEqualTo(sorted(elements(a.elements())));
        }
    }

    static List<String> elements(java.util.Collection<SetElement> els) {
        return els.stream().map(e -> ExprText.key(e.key()) + " : " + (e.verdict() != null
                ? ExprText.verdict(e.verdict()) + (e.verdictChain() != null ? " -> " + e.verdictChain() : "") + " " : "") + e.flags()).toList();
    }

    static List<String> sorted(List<String> l) {
        return l.stream().sorted().collect(Collectors.toList());
    }
}
